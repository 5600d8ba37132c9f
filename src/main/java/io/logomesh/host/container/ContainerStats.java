package io.logomesh.host.container;

import java.time.Instant;

/**
 * One raw reading of a container's counters, as the kernel (cgroup files) or the engine's
 * stats API reports them. Counters are cumulative; rates come from two readings.
 *
 * @param source              where it came from: {@code cgroup-v1}, {@code cgroup-v2} or {@code docker-api}
 * @param at                  wall-clock time of the reading
 * @param monotonicNanos      {@link System#nanoTime()} at the reading, for rate math
 * @param memoryUsageBytes    charged memory including page cache
 * @param inactiveFileBytes   inactive file cache (reclaimable), subtracted for the working set
 * @param memoryLimitBytes    memory limit, 0 when unlimited or unknown
 * @param memoryFailcnt       how often the limit was hit (v1 failcnt, v2 {@code memory.events max})
 * @param cpuUsageNanos       cumulative CPU time of all tasks
 * @param cpuThrottledPeriods CFS periods in which the group was throttled
 * @param pids                tasks now
 * @param pidsLimit           task cap, 0 when unlimited
 * @param netRxBytes          bytes received on every interface of the container
 * @param netTxBytes          bytes sent
 * @param diskReadBytes       block device bytes read
 * @param diskWriteBytes      block device bytes written
 */
public record ContainerStats(
        String source,
        Instant at,
        long monotonicNanos,
        long memoryUsageBytes,
        long inactiveFileBytes,
        long memoryLimitBytes,
        long memoryFailcnt,
        long cpuUsageNanos,
        long cpuThrottledPeriods,
        long pids,
        long pidsLimit,
        long netRxBytes,
        long netTxBytes,
        long diskReadBytes,
        long diskWriteBytes) {

    /** Usage minus inactive file cache, never negative: what {@code docker stats} and the kubelet show. */
    public long workingSetBytes() {
        return workingSet(memoryUsageBytes, inactiveFileBytes);
    }

    /** The working-set rule on its own. */
    public static long workingSet(long usageBytes, long inactiveFileBytes) {
        return Math.max(0, usageBytes - Math.max(0, inactiveFileBytes));
    }
}
