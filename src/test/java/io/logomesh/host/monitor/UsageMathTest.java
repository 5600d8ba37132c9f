package io.logomesh.host.monitor;

import io.logomesh.host.container.ContainerStats;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class UsageMathTest {

    private static ContainerStats stats(long nanos, long cpuNanos, long usage, long inactive) {
        return new ContainerStats("cgroup-v1", Instant.EPOCH, nanos, usage, inactive, 64L << 20, 0, cpuNanos, 3, 5,
                64, 10, 20, 30, 40);
    }

    @Test
    void shouldSubtractInactiveFileCacheFromUsage() {
        assertThat(stats(0, 0, 100 << 20, 30 << 20).workingSetBytes()).isEqualTo(70L << 20);
    }

    @Test
    void shouldNeverReportANegativeWorkingSet() {
        assertThat(ContainerStats.workingSet(10, 50)).isZero();
        assertThat(ContainerStats.workingSet(10, -5)).isEqualTo(10);
    }

    @Test
    void shouldComputeCpuPercentFromDeltas() {
        ContainerStats a = stats(1_000_000_000L, 5_000_000_000L, 0, 0);
        ContainerStats b = stats(2_000_000_000L, 5_500_000_000L, 0, 0); // 0.5 s CPU in 1 s wall
        assertThat(UsageMath.cpuPercent(a, b)).isEqualTo(50.0);
        ContainerStats twoCores = stats(2_000_000_000L, 6_500_000_000L, 0, 0);
        assertThat(UsageMath.cpuPercent(a, twoCores)).isEqualTo(150.0);
    }

    @Test
    void shouldReportZeroCpuWithoutAnEarlierReadingOrWhenTheCounterRestarts() {
        ContainerStats a = stats(1_000, 5_000, 0, 0);
        assertThat(UsageMath.cpuPercent(null, a)).isZero();
        assertThat(UsageMath.cpuPercent(a, stats(2_000, 1_000, 0, 0))).isZero();
        assertThat(UsageMath.cpuPercent(a, stats(1_000, 9_000, 0, 0))).isZero();
    }

    @Test
    void shouldBuildASampleWithEveryCounter() {
        ContainerStats a = stats(0, 0, 0, 0);
        ContainerStats b = stats(1_000_000_000L, 250_000_000L, 80L << 20, 16L << 20);
        UsageSample s = UsageMath.sample("c1", a, b, 1234);
        assertThat(s.memoryBytes()).isEqualTo(64L << 20);
        assertThat(s.memoryMB()).isEqualTo(64.0);
        assertThat(s.cpuPercent()).isEqualTo(25.0);
        assertThat(s.cpuThrottledPeriods()).isEqualTo(3);
        assertThat(s.pids()).isEqualTo(5);
        assertThat(s.networkBytesIn()).isEqualTo(10);
        assertThat(s.diskWriteBytes()).isEqualTo(40);
        assertThat(s.uptimeMs()).isEqualTo(1234);
        assertThat(s.source()).isEqualTo("cgroup-v1");
    }

    @Test
    void shouldGiveUtilizationOnlyAgainstALimit() {
        assertThat(UsageMath.percentOf(45, 90)).isEqualTo(50.0);
        assertThat(UsageMath.percentOf(45, 0)).isZero();
    }
}
