package io.logomesh.host.monitor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns samples into alert conditions. Memory: working set at or over the warning threshold → warning; at
 * or over the limit → critical (reason {@code memory_limit}). CPU at the limit for several samples in a
 * row → warning (cgroups throttle it anyway). Tasks near the pids cap → warning. Each condition fires
 * once per episode: again only after it cleared.
 */
public final class AlertRules {

    private final int memoryWarningPercent;
    private final int cpuWarningPercent;
    private final int cpuSustainedSamples;
    private final int pidsWarningPercent;

    public AlertRules(int memoryWarningPercent, int cpuWarningPercent, int cpuSustainedSamples,
                      int pidsWarningPercent) {
        this.memoryWarningPercent = memoryWarningPercent;
        this.cpuWarningPercent = cpuWarningPercent;
        this.cpuSustainedSamples = Math.max(1, cpuSustainedSamples);
        this.pidsWarningPercent = pidsWarningPercent;
    }

    /** What one plugin's checks remember between samples. Not shared between threads at once. */
    public static final class State {
        private int cpuStreak;
        private final Set<String> active = new HashSet<>();

        /** Forget everything (a new container). */
        public synchronized void reset() {
            cpuStreak = 0;
            active.clear();
        }
    }

    /** The conditions that newly fired with this sample. */
    public List<AlertCondition> check(UsageSample s, EffectiveLimits limits, State state) {
        List<AlertCondition> now = new ArrayList<>();
        long memLimit = s.memoryLimitBytes() > 0 ? s.memoryLimitBytes() : limits.memoryBytes();
        double memPct = UsageMath.percentOf(s.memoryBytes(), memLimit);
        if (memLimit > 0 && s.memoryBytes() >= memLimit) {
            now.add(new AlertCondition("memory", Alert.CRITICAL, String.format(
                    "memory working set %.1f MiB reached the limit of %.1f MiB", mib(s.memoryBytes()), mib(memLimit)),
                    s.memoryBytes(), memLimit, "memory_limit"));
        } else if (memLimit > 0 && memPct >= memoryWarningPercent) {
            now.add(new AlertCondition("memory", Alert.WARNING, String.format(
                    "memory working set %.1f MiB is %.0f%% of the limit of %.1f MiB", mib(s.memoryBytes()), memPct,
                    mib(memLimit)), s.memoryBytes(), memLimit, null));
        }
        synchronized (state) {
            boolean atCpuLimit = limits.maxCpuPercent() > 0
                    && s.cpuPercent() >= limits.maxCpuPercent() * cpuWarningPercent / 100.0;
            state.cpuStreak = atCpuLimit ? state.cpuStreak + 1 : 0;
            if (state.cpuStreak >= cpuSustainedSamples) {
                now.add(new AlertCondition("cpu", Alert.WARNING, String.format(
                        "CPU at %.1f%% of one core, at its limit of %.0f%% for %d samples in a row (it is throttled)",
                        s.cpuPercent(), limits.maxCpuPercent(), state.cpuStreak), s.cpuPercent(),
                        limits.maxCpuPercent(), null));
            }
            long pidsLimit = s.pidsLimit() > 0 ? s.pidsLimit() : limits.pidsLimit();
            if (pidsLimit > 0 && UsageMath.percentOf(s.pids(), pidsLimit) >= pidsWarningPercent) {
                now.add(new AlertCondition("pids", Alert.WARNING, String.format(
                        "%d tasks, near the cap of %d", s.pids(), pidsLimit), s.pids(), pidsLimit, null));
            }
            return edges(now, state);
        }
    }

    /** Keeps only conditions that were not active at the previous sample; remembers the current set. */
    private static List<AlertCondition> edges(List<AlertCondition> now, State state) {
        Set<String> keys = new HashSet<>();
        List<AlertCondition> fresh = new ArrayList<>();
        for (AlertCondition c : now) {
            keys.add(c.key());
            if (!state.active.contains(c.key())) {
                fresh.add(c);
            }
        }
        state.active.clear();
        state.active.addAll(keys);
        return fresh;
    }

    private static double mib(double bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
