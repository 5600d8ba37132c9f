package io.logomesh.host.monitor;

import io.logomesh.host.plugin.PluginSnapshot;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Prometheus series per plugin (tag {@code plugin}): {@code logomesh_plugin_memory_bytes}, {@code _cpu_percent},
 * {@code _pids}, {@code _actions_total} (by outcome), {@code _action_duration_seconds}, {@code _alerts_total}
 * (by severity), {@code _grants} (by type), {@code _state} (1 for the current state); admission control:
 * {@code _action_refusals_total} (by reason: {@code busy}, {@code restarting}), {@code _actions_running} and
 * {@code _actions_waiting} (now). The poller's own cost:
 * {@code logomesh_monitor_round_seconds} (with median and p95), {@code logomesh_monitor_round_last_seconds} and
 * {@code logomesh_monitor_containers}.
 * A plugin's series are removed when it is uninstalled.
 */
@ApplicationScoped
public class PluginMetrics {

    private static final String PLUGIN = "plugin";

    private final MeterRegistry registry;
    private final Map<String, Gauges> gauges = new ConcurrentHashMap<>();
    /** Meters of the action path, looked up once per plugin and tag (keys start with the plugin id and a NUL). */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Timer round;
    private final AtomicLong roundContainers = new AtomicLong();
    private final AtomicLong lastRoundNanos = new AtomicLong();

    @Inject
    public PluginMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.round = Timer.builder("logomesh_monitor_round").description("Duration of one full poll round")
                .publishPercentiles(0.5, 0.95).distributionStatisticExpiry(Duration.ofMinutes(1))
                .register(registry);
        Gauge.builder("logomesh_monitor_containers", roundContainers, AtomicLong::get)
                .description("Containers sampled in the last poll round").register(registry);
        Gauge.builder("logomesh_monitor_round_last_seconds", lastRoundNanos, v -> v.get() / 1e9)
                .description("Duration of the last full poll round").register(registry);
    }

    /** The live values behind one plugin's gauges. */
    private static final class Gauges {
        final AtomicLong memory = new AtomicLong();
        final AtomicLong cpuHundredths = new AtomicLong();
        final AtomicLong pids = new AtomicLong();
        final AtomicLong grantedMemory = new AtomicLong();
        final AtomicLong grantedCpuHundredths = new AtomicLong();
        volatile PluginState state = PluginState.INSTALLED;
    }

    private Gauges of(String pluginId) {
        return gauges.computeIfAbsent(pluginId, id -> {
            Gauges g = new Gauges();
            Tags tags = Tags.of(PLUGIN, id);
            Gauge.builder("logomesh_plugin_memory_bytes", g.memory, AtomicLong::get).tags(tags)
                    .description("Memory working set").register(registry);
            Gauge.builder("logomesh_plugin_cpu_percent", g.cpuHundredths, v -> v.get() / 100.0).tags(tags)
                    .description("CPU use in percent of one core").register(registry);
            Gauge.builder("logomesh_plugin_pids", g.pids, AtomicLong::get).tags(tags)
                    .description("Tasks in the container").register(registry);
            Gauge.builder("logomesh_plugin_grants", g.grantedMemory, AtomicLong::get).tags(tags.and("type", "memory"))
                    .description("Granted on top of the manifest (memory in MiB, cpu in percent)").register(registry);
            Gauge.builder("logomesh_plugin_grants", g.grantedCpuHundredths, v -> v.get() / 100.0)
                    .tags(tags.and("type", "cpu")).register(registry);
            for (PluginState s : PluginState.values()) {
                Gauge.builder("logomesh_plugin_state", g, x -> x.state == s ? 1 : 0)
                        .tags(tags.and("state", s.name())).description("1 for the plugin's current state")
                        .register(registry);
            }
            return g;
        });
    }

    /** Makes sure every installed plugin has its series, with its current state. */
    void ensurePlugins(Collection<PluginSnapshot> plugins) {
        for (PluginSnapshot p : plugins) {
            of(p.id()).state = p.state();
        }
    }

    void sample(String pluginId, UsageSample s) {
        Gauges g = of(pluginId);
        g.memory.set(s.memoryBytes());
        g.cpuHundredths.set(Math.round(s.cpuPercent() * 100));
        g.pids.set(s.pids());
    }

    void alert(String pluginId, String severity) {
        Counter.builder("logomesh_plugin_alerts").tags(PLUGIN, pluginId, "severity", severity)
                .description("Alerts raised").register(registry).increment();
    }

    /** A restart decision: {@code scheduled} or {@code crash_loop} ({@code logomesh_plugin_restarts_total}). */
    void restart(String pluginId, String kind) {
        counters.computeIfAbsent(pluginId + "\0restart\0" + kind, k -> Counter.builder("logomesh_plugin_restarts")
                .tags(PLUGIN, pluginId, "kind", kind)
                .description("Restarts scheduled after an unasked-for end, and crash loops").register(registry))
                .increment();
    }

    void grants(String pluginId, double memoryMB, double cpuPercent) {
        Gauges g = of(pluginId);
        g.grantedMemory.set(Math.round(memoryMB));
        g.grantedCpuHundredths.set(Math.round(cpuPercent * 100));
    }

    /** One action's outcome ({@code ok}, {@code failed}, {@code timeout}, {@code error}) and duration. */
    public void action(String pluginId, String outcome, long durationNanos) {
        counters.computeIfAbsent(pluginId + '\0' + outcome, k -> Counter.builder("logomesh_plugin_actions")
                .tags(PLUGIN, pluginId, "outcome", outcome).description("Actions run").register(registry))
                .increment();
        timers.computeIfAbsent(pluginId, k -> Timer.builder("logomesh_plugin_action_duration").tags(PLUGIN, pluginId)
                .description("Action duration").register(registry)).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** An action refused by admission control before it reached the plugin ({@code busy}, {@code restarting}). */
    public void refused(String pluginId, String reason) {
        counters.computeIfAbsent(pluginId + "\0refused\0" + reason, k -> Counter.builder("logomesh_plugin_action_refusals")
                .tags(PLUGIN, pluginId, "reason", reason)
                .description("Actions refused before they reached the plugin (admission control)").register(registry))
                .increment();
    }

    /** Registers the gauges of a plugin's admission queue: actions running inside it and waiting in the host. */
    public void admission(String pluginId, IntSupplier running, IntSupplier waiting) {
        Tags tags = Tags.of(PLUGIN, pluginId);
        Gauge.builder("logomesh_plugin_actions_running", running, IntSupplier::getAsInt).tags(tags).strongReference(true)
                .description("Actions dispatched to the plugin and not answered yet").register(registry);
        Gauge.builder("logomesh_plugin_actions_waiting", waiting, IntSupplier::getAsInt).tags(tags).strongReference(true)
                .description("Actions waiting in the host for one of the plugin's maxConcurrency slots").register(registry);
    }

    void round(long nanos, int containers) {
        round.record(Duration.ofNanos(nanos));
        roundContainers.set(containers);
        lastRoundNanos.set(nanos);
    }

    void onState(@Observes PluginStateEvent event) {
        if (event.to() == PluginState.UNINSTALLED) {
            gauges.remove(event.pluginId());
            String prefix = event.pluginId() + '\0';
            counters.keySet().removeIf(k -> k.startsWith(prefix));
            timers.remove(event.pluginId());
            for (Meter m : registry.getMeters()) {
                if (event.pluginId().equals(m.getId().getTag(PLUGIN))
                        && m.getId().getName().startsWith("logomesh_plugin")) {
                    registry.remove(m);
                }
            }
        } else {
            of(event.pluginId()).state = event.to();
        }
    }
}
