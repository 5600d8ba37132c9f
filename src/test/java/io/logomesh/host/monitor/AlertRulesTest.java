package io.logomesh.host.monitor;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertRulesTest {

    private static final long MIB = 1024 * 1024;
    private final AlertRules rules = new AlertRules(90, 95, 3, 90);
    private final EffectiveLimits limits = new EffectiveLimits(100, 50, 1000, 64);

    private static UsageSample sample(long memoryBytes, double cpu, long pids) {
        return new UsageSample(Instant.now(), "c", "cgroup-v1", memoryBytes, 100 * MIB, 0, cpu, 0, pids, 64, 0, 0,
                0, 0, 0);
    }

    @Test
    void shouldStayQuietBelowTheThresholds() {
        assertThat(rules.check(sample(50 * MIB, 10, 3), limits, new AlertRules.State())).isEmpty();
    }

    @Test
    void shouldWarnOnceAboveTheMemoryThresholdAndAgainAfterItCleared() {
        AlertRules.State state = new AlertRules.State();
        List<AlertCondition> first = rules.check(sample(92 * MIB, 0, 1), limits, state);
        assertThat(first).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo("memory");
            assertThat(c.severity()).isEqualTo("warning");
            assertThat(c.current()).isEqualTo(92.0 * MIB);
        });
        assertThat(rules.check(sample(93 * MIB, 0, 1), limits, state)).isEmpty();
        assertThat(rules.check(sample(10 * MIB, 0, 1), limits, state)).isEmpty();
        assertThat(rules.check(sample(95 * MIB, 0, 1), limits, state)).hasSize(1);
    }

    @Test
    void shouldBeCriticalAtTheMemoryLimit() {
        List<AlertCondition> c = rules.check(sample(100 * MIB, 0, 1), limits, new AlertRules.State());
        assertThat(c).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo("critical");
            assertThat(a.reason()).isEqualTo("memory_limit");
        });
    }

    @Test
    void shouldWarnAboutCpuOnlyWhenAtTheLimitForSeveralSamplesInARow() {
        AlertRules.State state = new AlertRules.State();
        assertThat(rules.check(sample(0, 49, 1), limits, state)).isEmpty();
        assertThat(rules.check(sample(0, 49, 1), limits, state)).isEmpty();
        assertThat(rules.check(sample(0, 10, 1), limits, state)).isEmpty(); // streak broken
        assertThat(rules.check(sample(0, 48, 1), limits, state)).isEmpty();
        assertThat(rules.check(sample(0, 50, 1), limits, state)).isEmpty();
        assertThat(rules.check(sample(0, 50, 1), limits, state)).singleElement()
                .satisfies(c -> assertThat(c.type()).isEqualTo("cpu"));
    }

    @Test
    void shouldWarnWhenTasksNearTheCap() {
        assertThat(rules.check(sample(0, 0, 58), limits, new AlertRules.State())).singleElement()
                .satisfies(c -> assertThat(c.type()).isEqualTo("pids"));
        assertThat(rules.check(sample(0, 0, 57), limits, new AlertRules.State())).isEmpty();
    }

    @Test
    void shouldKeepAlertsPerPluginAndAcknowledgeThem() {
        AlertBook book = new AlertBook(2);
        AlertCondition c = new AlertCondition("memory", "warning", "m", 1, 2, null);
        Alert a = book.add("p", c, Instant.now());
        book.add("p", c, Instant.now());
        Alert newest = book.add("p", c, Instant.now());
        assertThat(book.of("p")).hasSize(2).extracting(Alert::id).doesNotContain(a.id());
        assertThat(book.acknowledge("p", newest.id()).acknowledged()).isTrue();
        assertThat(book.all(java.util.Optional.of(false))).hasSize(1);
        assertThat(book.all(java.util.Optional.of(true))).extracting(Alert::id).containsExactly(newest.id());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> book.acknowledge("q", newest.id()))
                .isInstanceOf(AlertNotFoundException.class);
    }
}
