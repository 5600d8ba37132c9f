package io.logomesh.host.monitor;

/**
 * The limits a plugin runs under now: its manifest's plus its grants, and the host's pids cap.
 *
 * @param maxMemoryMB        memory limit in MiB
 * @param maxCpuPercent      CPU limit in percent of one core
 * @param maxExecutionTimeMs time limit of one action
 * @param pidsLimit          task cap
 */
public record EffectiveLimits(long maxMemoryMB, double maxCpuPercent, long maxExecutionTimeMs, long pidsLimit) {

    public long memoryBytes() {
        return maxMemoryMB * 1024 * 1024;
    }
}
