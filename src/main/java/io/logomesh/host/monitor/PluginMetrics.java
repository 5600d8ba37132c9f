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
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Prometheus series per plugin (tag {@code plugin}), named as Prometheus' naming guide says (base units, one unit
 * per name, counters {@code _total}): {@code logomesh_plugin_memory_bytes}, {@code _cpu_ratio} (of one core),
 * {@code _pids}, {@code _granted_memory_bytes}, {@code _granted_cpu_ratio}, {@code _actions_total} (by outcome),
 * {@code _action_duration_seconds} and {@code _activation_duration_seconds} (histograms with the buckets of
 * {@link #DURATION_BUCKETS}; activation by outcome {@code ok} / {@code failed}), {@code _alerts_total} (by
 * severity), {@code _state} (1 for the current state); admission control: {@code _action_refusals_total} (by
 * reason: {@code busy}, {@code restarting}), {@code _actions_running} and {@code _actions_waiting} (now). The
 * poller's own cost: {@code logomesh_monitor_round_seconds} (with median and p95),
 * {@code logomesh_monitor_round_last_seconds} and {@code logomesh_monitor_containers}.
 * A plugin's series are removed when it is uninstalled. docs/operators.md lists every name (and the old ones).
 */
@ApplicationScoped
public class PluginMetrics {

    private static final String PLUGIN = "plugin";

    /** Upper bounds of the action and activation duration histograms, 5 ms to 2 min. */
    static final Duration[] DURATION_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final MeterRegistry registry;
    private final Map<String, Gauges> gauges = new ConcurrentHashMap<>();
    /** Meters of the action path, looked up once per plugin and tag (keys start with the plugin id and a NUL). */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Timer> activations = new ConcurrentHashMap<>();
    private final Timer round;
    private final AtomicLong roundContainers = new AtomicLong();
    private final AtomicLong lastRoundNanos = new AtomicLong();
    /** When each plugin last entered STARTING: the start of the activation being timed. */
    private final Map<String, Instant> starting = new ConcurrentHashMap<>();

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
        /** CPU in millionths of one core. */
        final AtomicLong cpuMicros = new AtomicLong();
        final AtomicLong pids = new AtomicLong();
        final AtomicLong grantedMemoryBytes = new AtomicLong();
        /** Granted CPU in millionths of one core. */
        final AtomicLong grantedCpuMicros = new AtomicLong();
        volatile PluginState state = PluginState.INSTALLED;
    }

    private Gauges of(String pluginId) {
        return gauges.computeIfAbsent(pluginId, id -> {
            Gauges g = new Gauges();
            Tags tags = Tags.of(PLUGIN, id);
            Gauge.builder("logomesh_plugin_memory_bytes", g.memory, AtomicLong::get).tags(tags)
                    .description("Memory working set").register(registry);
            Gauge.builder("logomesh_plugin_cpu_ratio", g.cpuMicros, v -> v.get() / 1e6).tags(tags)
                    .description("CPU use as a ratio of one core (1 = one full core)").register(registry);
            Gauge.builder("logomesh_plugin_pids", g.pids, AtomicLong::get).tags(tags)
                    .description("Tasks in the container").register(registry);
            Gauge.builder("logomesh_plugin_granted_memory_bytes", g.grantedMemoryBytes, AtomicLong::get).tags(tags)
                    .description("Memory lent on top of the manifest's limit").register(registry);
            Gauge.builder("logomesh_plugin_granted_cpu_ratio", g.grantedCpuMicros, v -> v.get() / 1e6).tags(tags)
                    .description("CPU lent on top of the manifest's limit, as a ratio of one core").register(registry);
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
        g.cpuMicros.set(Math.round(s.cpuPercent() * 10_000));
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
        g.grantedMemoryBytes.set(Math.round(memoryMB * 1024 * 1024));
        g.grantedCpuMicros.set(Math.round(cpuPercent * 10_000));
    }

    /** One action's outcome ({@code ok}, {@code failed}, {@code timeout}, {@code error}) and duration. */
    public void action(String pluginId, String outcome, long durationNanos) {
        counters.computeIfAbsent(pluginId + '\0' + outcome, k -> Counter.builder("logomesh_plugin_actions")
                .tags(PLUGIN, pluginId, "outcome", outcome).description("Actions run").register(registry))
                .increment();
        timers.computeIfAbsent(pluginId, k -> Timer.builder("logomesh_plugin_action_duration").tags(PLUGIN, pluginId)
                .serviceLevelObjectives(DURATION_BUCKETS).description("Action duration, from dispatch to answer")
                .register(registry)).record(durationNanos, TimeUnit.NANOSECONDS);
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

    /** Times one activation: from entering STARTING to ACTIVE ({@code ok}) or FAILED ({@code failed}). */
    private void activation(PluginStateEvent event) {
        if (event.to() == PluginState.STARTING) {
            starting.put(event.pluginId(), event.at());
            return;
        }
        if (event.from() != PluginState.STARTING) {
            return;
        }
        Instant began = starting.remove(event.pluginId());
        if (began == null || (event.to() != PluginState.ACTIVE && event.to() != PluginState.FAILED)) {
            return;
        }
        String outcome = event.to() == PluginState.ACTIVE ? "ok" : "failed";
        // looked up once per plugin and outcome: building and registering it costs a tenth of a millisecond,
        // on the thread that answers the activation
        activations.computeIfAbsent(event.pluginId() + '\0' + outcome, k -> Timer.builder(
                        "logomesh_plugin_activation_duration").tags(PLUGIN, event.pluginId(), "outcome", outcome)
                .serviceLevelObjectives(DURATION_BUCKETS)
                .description("Activation duration, from STARTING to ACTIVE or FAILED").register(registry))
                .record(Duration.between(began, event.at()));
    }

    void onState(@Observes PluginStateEvent event) {
        activation(event);
        if (event.to() == PluginState.UNINSTALLED) {
            starting.remove(event.pluginId());
            String prefix = event.pluginId() + '\0';
            counters.keySet().removeIf(k -> k.startsWith(prefix));
            activations.keySet().removeIf(k -> k.startsWith(prefix));
            timers.remove(event.pluginId());
            // under the map's lock for this id: a monitor round's of() either sees the old gauges (and they go
            // here) or makes new ones after this (registered again); never an entry whose meters were removed,
            // which would leave a plugin installed again under that id without its gauges
            gauges.compute(event.pluginId(), (id, old) -> {
                for (Meter m : registry.getMeters()) {
                    if (id.equals(m.getId().getTag(PLUGIN)) && m.getId().getName().startsWith("logomesh_plugin")) {
                        registry.remove(m);
                    }
                }
                return null;
            });
        } else {
            of(event.pluginId()).state = event.to();
        }
    }
}
