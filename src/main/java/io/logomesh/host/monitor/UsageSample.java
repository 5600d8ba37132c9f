package io.logomesh.host.monitor;

import java.time.Instant;

/**
 * One sample of a plugin container's use, derived from two raw readings (CPU is a rate).
 *
 * @param at                  when it was read
 * @param containerId         the container it was read from
 * @param source              {@code cgroup-v1}, {@code cgroup-v2} or {@code docker-api}
 * @param memoryBytes         working set: usage minus inactive file cache
 * @param memoryLimitBytes    memory limit as the kernel enforces it (0 = none)
 * @param memoryFailcnt       times the limit was hit
 * @param cpuPercent          CPU use since the previous reading, in percent of one core
 * @param cpuThrottledPeriods CFS periods throttled so far
 * @param pids                tasks now
 * @param pidsLimit           task cap (0 = none)
 * @param networkBytesIn      received bytes so far
 * @param networkBytesOut     sent bytes so far
 * @param diskReadBytes       block bytes read so far
 * @param diskWriteBytes      block bytes written so far
 * @param uptimeMs            since the plugin became ACTIVE
 */
public record UsageSample(
        Instant at,
        String containerId,
        String source,
        long memoryBytes,
        long memoryLimitBytes,
        long memoryFailcnt,
        double cpuPercent,
        long cpuThrottledPeriods,
        long pids,
        long pidsLimit,
        long networkBytesIn,
        long networkBytesOut,
        long diskReadBytes,
        long diskWriteBytes,
        long uptimeMs) {

    /** The working set in MiB (two decimals). */
    public double memoryMB() {
        return UsageMath.round2(memoryBytes / (1024.0 * 1024.0));
    }

    /** The history/stream shape of this sample. */
    public UsagePoint point() {
        return new UsagePoint(at, memoryBytes, memoryMB(), cpuPercent, pids, networkBytesIn, networkBytesOut,
                diskReadBytes, diskWriteBytes);
    }
}
