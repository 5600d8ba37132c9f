package io.logomesh.host.monitor;

import io.logomesh.host.container.ContainerStats;

/** The arithmetic that turns raw counters into a sample. Pure functions. */
public final class UsageMath {

    private UsageMath() {
    }

    /**
     * CPU use between two readings in percent of one core: CPU-time delta over wall-time delta. 0 when there
     * is no earlier reading, no time passed, or the counter went backwards (a new container).
     */
    public static double cpuPercent(ContainerStats previous, ContainerStats current) {
        if (previous == null) {
            return 0;
        }
        long wall = current.monotonicNanos() - previous.monotonicNanos();
        long cpu = current.cpuUsageNanos() - previous.cpuUsageNanos();
        if (wall <= 0 || cpu < 0) {
            return 0;
        }
        return round2(cpu * 100.0 / wall);
    }

    /** A sample from the current reading (and the previous one for the CPU rate). */
    public static UsageSample sample(String containerId, ContainerStats previous, ContainerStats current,
                                     long uptimeMs) {
        return new UsageSample(current.at(), containerId, current.source(), current.workingSetBytes(),
                current.memoryLimitBytes(), current.memoryFailcnt(), cpuPercent(previous, current),
                current.cpuThrottledPeriods(), current.pids(), current.pidsLimit(), current.netRxBytes(),
                current.netTxBytes(), current.diskReadBytes(), current.diskWriteBytes(), Math.max(0, uptimeMs));
    }

    /** {@code value} in percent of {@code limit}; 0 when there is no limit. */
    public static double percentOf(double value, double limit) {
        return limit <= 0 ? 0 : round2(value * 100.0 / limit);
    }

    static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
