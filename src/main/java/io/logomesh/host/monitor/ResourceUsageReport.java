package io.logomesh.host.monitor;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /plugins/{id}/usage} and {@code ctx.getResourceUsage()} return: the latest real sample,
 * the effective limits (grants included), utilization, alerts and grants.
 */
public record ResourceUsageReport(
        String pluginId,
        String state,
        String containerId,
        Instant timestamp,
        Usage usage,
        EffectiveLimits limits,
        Utilization utilizationPercent,
        List<Alert> alerts,
        List<Grant> grants) {

    /** The measured use. {@code source} says where the numbers came from (cgroup-v1, cgroup-v2, docker-api). */
    public record Usage(double memoryMB, long memoryBytes, long memoryLimitBytes, long memoryFailcnt,
                        double cpuPercent, long cpuThrottledPeriods, long pids, long pidsLimit,
                        long networkBytesIn, long networkBytesOut, long diskReadBytes, long diskWriteBytes,
                        long uptimeMs, String source) {
    }

    /** Use in percent of the effective limit. */
    public record Utilization(double memory, double cpu, double pids) {
    }

    static ResourceUsageReport of(String pluginId, String state, UsageSample s, EffectiveLimits limits,
                                  List<Alert> alerts, List<Grant> grants) {
        long memLimit = s.memoryLimitBytes() > 0 ? s.memoryLimitBytes() : limits.memoryBytes();
        long pidsLimit = s.pidsLimit() > 0 ? s.pidsLimit() : limits.pidsLimit();
        Usage usage = new Usage(s.memoryMB(), s.memoryBytes(), memLimit, s.memoryFailcnt(), s.cpuPercent(),
                s.cpuThrottledPeriods(), s.pids(), pidsLimit, s.networkBytesIn(), s.networkBytesOut(),
                s.diskReadBytes(), s.diskWriteBytes(), s.uptimeMs(), s.source());
        Utilization u = new Utilization(UsageMath.percentOf(s.memoryBytes(), memLimit),
                UsageMath.percentOf(s.cpuPercent(), limits.maxCpuPercent()), UsageMath.percentOf(s.pids(), pidsLimit));
        return new ResourceUsageReport(pluginId, state, s.containerId(), s.at(), usage, limits, u, alerts, grants);
    }
}
