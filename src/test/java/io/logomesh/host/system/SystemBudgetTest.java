package io.logomesh.host.system;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget part of the system report is whatever {@code logomesh.monitor.budget.*} holds, or null. */
class SystemBudgetTest {

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }

    @Test
    void shouldReportNullWhenNoBudgetIsConfigured() {
        assertThat(SystemInfo.budget(config(Map.of("logomesh.monitor.interval", "2s")))).isNull();
    }

    @Test
    void shouldReportTheBudgetTypedAndCamelCased() {
        Map<String, Object> budget = SystemInfo.budget(config(Map.of(
                "logomesh.monitor.budget.total-memory-mb", "4096",
                "logomesh.monitor.budget.total-cpu-percent", "150.5",
                "logomesh.monitor.budget.enforce", "true",
                "logomesh.other", "x")));

        assertThat(budget).containsExactlyInAnyOrderEntriesOf(Map.of(
                "totalMemoryMb", 4096L, "totalCpuPercent", 150.5, "enforce", true));
    }
}
