package io.logomesh.host.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerStatsJsonTest {

    private static final ContainerStats READING = new ContainerStats("cgroup-v1", Instant.parse("2026-12-04T18:00:00Z"),
            1, 100, 10, 128, 1, 5000, 2, 3, 64, 7, 8, 9, 11);

    @Test
    void shouldCarryEveryCounterAcrossAndSayWhereItCameFrom() {
        long before = System.nanoTime();
        ContainerStats back = ContainerStatsJson.fromJson(ContainerStatsJson.toJson(READING), "node n1: ");

        assertThat(back.source()).isEqualTo("node n1: cgroup-v1");
        assertThat(back.at()).isEqualTo(READING.at());
        assertThat(back.monotonicNanos()).as("the receiver's clock").isGreaterThanOrEqualTo(before);
        assertThat(back).usingRecursiveComparison().ignoringFields("source", "monotonicNanos").isEqualTo(READING);
    }

    @Test
    void shouldRefuseAReadingWithAMissingNegativeOrNonNumericCounter() throws Exception {
        var json = ContainerStatsJson.toJson(READING);
        var mapper = new ObjectMapper();
        assertThatThrownBy(() -> ContainerStatsJson.fromJson(json.deepCopy().put("pids", -1), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pids");
        assertThatThrownBy(() -> ContainerStatsJson.fromJson(json.deepCopy().put("cpuUsageNanos", "a lot"), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpuUsageNanos");
        var missing = json.deepCopy();
        missing.remove("netRxBytes");
        assertThatThrownBy(() -> ContainerStatsJson.fromJson(missing, "")).hasMessageContaining("netRxBytes");
        assertThatThrownBy(() -> ContainerStatsJson.fromJson(json.deepCopy().put("at", "yesterday"), ""))
                .hasMessageContaining("time");
        assertThatThrownBy(() -> ContainerStatsJson.fromJson(mapper.readTree("{}"), "")).isInstanceOf(
                IllegalArgumentException.class);
    }
}
