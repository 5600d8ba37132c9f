package io.logomesh.host.monitor;

import io.logomesh.host.PluginHostException;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerStats;
import io.logomesh.host.container.StatsSource;
import io.logomesh.host.plugin.PluginHandle;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginSnapshot;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The poller: every {@code logomesh.monitor.interval} (default 1 s, holds at 250 ms) it samples every ACTIVE plugin's container at once
 * (one virtual thread each, a per-sample timeout, a container still busy from the last round is skipped),
 * keeps the samples in a bounded ring per plugin, hands each to the limit checks and the metrics, and to
 * anyone streaming it. A round that is still running when the next is due makes the next one skip.
 */
@ApplicationScoped
public class ResourceMonitor {

    private static final Logger LOG = Logger.getLogger(ResourceMonitor.class);
    private static final Duration CPU_WINDOW = Duration.ofMillis(100);

    private final PluginManager plugins;
    private final StatsSource stats;
    private final LimitEnforcer enforcer;
    private final GrantService grants;
    private final PluginMetrics metrics;
    private final HostConfig.Monitor config;
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<UsageSample>>> listeners = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("resource-monitor").daemon().factory());

    @Inject
    public ResourceMonitor(PluginManager plugins, StatsSource stats, LimitEnforcer enforcer, GrantService grants,
                           PluginMetrics metrics, HostConfig config) {
        this.plugins = plugins;
        this.stats = stats;
        this.enforcer = enforcer;
        this.grants = grants;
        this.metrics = metrics;
        this.config = config.monitor();
    }

    /** What one plugin's sampling remembers. */
    private final class Track {
        final SampleRing ring = new SampleRing(config.historyWindow());
        final AlertRules.State rules = new AlertRules.State();
        final AtomicBoolean busy = new AtomicBoolean();
        String containerId;
        ContainerStats last;
    }

    /**
     * Starts the ticker. Not {@code @Scheduled}: Quarkus' simple scheduler looks at its triggers once per
     * second ({@code SimpleScheduler.CHECK_PERIOD}), so {@code every = "250ms"} would fire once a second.
     * A fixed-rate executor never overlaps runs: a round that overruns delays the next (it is skipped, not
     * queued up).
     */
    void onStart(@Observes StartupEvent event) {
        long periodNanos = Math.max(Duration.ofMillis(10).toNanos(), config.interval().toNanos());
        ticker.scheduleAtFixedRate(this::poll, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        LOG.infof("resource monitor polling every %d ms", TimeUnit.NANOSECONDS.toMillis(periodNanos));
    }

    private void poll() {
        try {
            pollRound();
        } catch (RuntimeException e) {
            LOG.warnf("poll round failed: %s", e.toString()); // the ticker must go on
        }
    }

    /** Samples every running plugin once; returns how many were sampled. */
    public int pollRound() {
        long t0 = System.nanoTime();
        List<PluginSnapshot> all = List.copyOf(plugins.list());
        metrics.ensurePlugins(all);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (PluginSnapshot snap : all) {
            if (snap.state() != PluginState.ACTIVE || snap.containerId() == null) {
                continue;
            }
            Track track = tracks.computeIfAbsent(snap.id(), id -> new Track());
            if (!track.busy.compareAndSet(false, true)) {
                continue; // still sampling from an earlier round: do not pile up
            }
            futures.add(workers.submit(() -> {
                try {
                    sample(snap, track);
                    return true;
                } catch (PluginHostException e) {
                    LOG.debugf("plugin %s: no sample this round: %s", snap.id(), e.getMessage());
                    return false;
                } finally {
                    track.busy.set(false);
                }
            }));
        }
        long deadline = t0 + config.sampleTimeout().toNanos();
        int sampled = 0;
        for (Future<Boolean> f : futures) {
            try {
                if (f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    sampled++;
                }
            } catch (TimeoutException e) {
                // this container is slow; the round goes on without it
            } catch (ExecutionException e) {
                LOG.debugf("sampling failed: %s", e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        metrics.round(System.nanoTime() - t0, sampled);
        return sampled;
    }

    /** The latest sample of a running plugin, taking one now (two readings for the CPU rate) if there is none. */
    public UsageSample latest(PluginSnapshot snap) {
        requireRunning(snap);
        Track track = tracks.computeIfAbsent(snap.id(), id -> new Track());
        UsageSample latest = track.ring.latest();
        if (latest != null && snap.containerId().equals(latest.containerId())) {
            return latest;
        }
        UsageSample first = sample(snap, track);
        if (first.cpuPercent() == 0) {
            try {
                Thread.sleep(CPU_WINDOW);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return first;
            }
            return sample(snap, track);
        }
        return first;
    }

    /** The kept samples of the last {@code seconds} seconds, oldest first. */
    public List<UsageSample> history(String pluginId, long seconds) {
        Track track = tracks.get(pluginId);
        if (track == null) {
            return List.of();
        }
        return track.ring.since(Instant.now().minusSeconds(Math.max(0, seconds)));
    }

    /** Calls {@code listener} with every new sample of the plugin until the returned handle is run. */
    public Runnable subscribe(String pluginId, Consumer<UsageSample> listener) {
        List<Consumer<UsageSample>> list = listeners.computeIfAbsent(pluginId, id -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    static void requireRunning(PluginSnapshot snap) {
        if (snap.state() != PluginState.ACTIVE || snap.containerId() == null) {
            throw new PluginNotRunningException(snap.id(), snap.state().name());
        }
    }

    private UsageSample sample(PluginSnapshot snap, Track track) {
        ContainerStats current = stats.read(snap.containerId());
        long uptime = snap.activatedAt() == null ? 0 : Duration.between(snap.activatedAt(), current.at()).toMillis();
        UsageSample s;
        synchronized (track) {
            if (!snap.containerId().equals(track.containerId)) {
                if (track.containerId != null) {
                    stats.forget(track.containerId);
                }
                track.containerId = snap.containerId();
                track.last = null;
                track.rules.reset();
            }
            if (track.last != null && current.monotonicNanos() <= track.last.monotonicNanos()) {
                return track.ring.latest();
            }
            s = UsageMath.sample(snap.containerId(), track.last, current, uptime);
            track.last = current;
            track.ring.add(s);
        }
        metrics.sample(snap.id(), s);
        for (Consumer<UsageSample> l : listeners.getOrDefault(snap.id(), List.of())) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.debugf("usage listener failed: %s", e.getMessage());
            }
        }
        PluginHandle handle = plugins.get(snap.id());
        enforcer.check(snap.id(), s, grants.limits(handle), track.rules);
        return s;
    }

    void onState(@Observes PluginStateEvent event) {
        if (event.to() == PluginState.UNINSTALLED) {
            Track t = tracks.remove(event.pluginId());
            if (t != null && t.containerId != null) {
                stats.forget(t.containerId);
            }
            listeners.remove(event.pluginId());
        } else if (event.to() != PluginState.ACTIVE) {
            Track t = tracks.get(event.pluginId());
            if (t != null && t.containerId != null) {
                stats.forget(t.containerId); // its container is going: let go of its files now (history stays)
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        ticker.shutdownNow();
        workers.shutdownNow();
    }
}
