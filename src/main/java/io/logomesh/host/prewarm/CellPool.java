package io.logomesh.host.prewarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.ipc.IpcLimits;
import io.logomesh.host.ipc.PluginCallException;
import io.logomesh.host.ipc.PluginChannel;
import io.logomesh.host.ipc.PluginEndpoint;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.manifest.PluginManifest.Runtime;
import io.logomesh.host.manifest.PluginManifest.SecurityLevel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pools of prewarmed cells, one per runtime: fills each to its configured size after start-up (after the
 * reaper has run), refills in the background after every take, once the start that took the cell is over (at
 * most {@code refill-parallelism} starting at once per runtime, never more ready and starting together than the
 * size), drops a cell whose runtime disconnects while idle, and destroys every idle cell when the host stops
 * (after waiting, bounded, for those still starting). A cell is handed out once.
 */
@ApplicationScoped
public class CellPool {

    private static final Logger LOG = Logger.getLogger(CellPool.class);

    /** A take's refill starts when the start that took the cell is over, or this long after the take. */
    static final Duration REFILL_AT_THE_LATEST = Duration.ofMillis(250);

    private final ContainerFactory factory;
    private final CellSpecs specs;
    private final HostConfig config;
    private final ObjectMapper mapper;
    private final Path root;
    private final UidSlots uids;
    private final Map<Runtime, Pool> pools = new EnumMap<>(Runtime.class);
    private final Map<String, Counter> coldByReason = new java.util.concurrent.ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private volatile boolean open;

    @Inject
    public CellPool(ContainerFactory factory, CellSpecs specs, DataFolder data, HostConfig config,
                    ObjectMapper mapper, MeterRegistry registry) {
        this.factory = factory;
        this.specs = specs;
        this.config = config;
        this.mapper = mapper;
        this.registry = registry;
        this.root = data.root().resolve("cells");
        this.uids = new UidSlots(config.prewarm().uidBase(), config.prewarm().uidRange());
        HostConfig.Prewarm p = config.prewarm();
        pools.put(Runtime.NODEJS, new Pool(Runtime.NODEJS, p.nodejs().size()));
        pools.put(Runtime.PYTHON, new Pool(Runtime.PYTHON, p.python().size()));
        pools.put(Runtime.WEBASSEMBLY, new Pool(Runtime.WEBASSEMBLY, p.webassembly().size()));
    }

    /** After the plugin manager's start-up (which reaps leftovers, cells of an earlier run among them). */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        open = true;
        CodeFolder.delete(root); // folders of an earlier run's cells (their containers were just reaped)
        pools.values().forEach(Pool::refill);
    }

    void onStop(@Observes ShutdownEvent event) {
        open = false;
        // a cell still starting destroys itself once it is up (open is false): wait for those, bounded
        long deadline = System.nanoTime() + config.lifecycle().activationTimeout().plusSeconds(5).toNanos();
        while (pools.values().stream().anyMatch(Pool::isStarting) && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(20));
        }
        List<Thread> ending = new ArrayList<>();
        for (Pool pool : pools.values()) {
            Cell cell;
            while ((cell = pool.ready.poll()) != null) {
                ending.add(Thread.ofVirtual().start(cell::destroy));
            }
        }
        for (Thread t : ending) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The Node.js cells' {@code securityLevel} (see {@link CellFit}). */
    public SecurityLevel nodeLevel() {
        return SecurityLevel.fromWireName(config.prewarm().nodejs().securityLevel());
    }

    /**
     * A ready cell for this manifest's runtime, or empty when the pool is off or dry. The caller owns the cell: it
     * gives it to the plugin or destroys it, and calls {@link #refill(Runtime)} once its start is over. The pool
     * refills then, not at the take, so that a new cell's container start (a quarter of a second of the engine's
     * CPU on this class of machine) does not compete with the activation that just took a cell; at the latest
     * {@link #REFILL_AT_THE_LATEST} after the take, if that start runs long.
     */
    public Optional<Cell> take(Runtime runtime) {
        Pool pool = pools.get(runtime);
        if (!open || pool.size == 0) {
            return Optional.empty();
        }
        Thread.ofVirtual().name("cell-refill-" + runtime.wireName()).start(() -> {
            pause(REFILL_AT_THE_LATEST);
            pool.refill();
        });
        Cell cell;
        while ((cell = pool.ready.poll()) != null) {
            if (cell.isAlive()) {
                pool.taken.increment();
                return Optional.of(cell);
            }
            Cell dead = cell;
            Thread.ofVirtual().name("cell-drop").start(dead::destroy);
        }
        pool.dry.increment();
        pool.refill();
        return Optional.empty();
    }

    /** Starts cells until this runtime's pool is full again (see {@link #take}). */
    public void refill(Runtime runtime) {
        pools.get(runtime).refill();
    }

    /** Counts an activation that went cold, by reason ({@link CellFit}'s, {@code off}, {@code empty}, {@code load_failed}). */
    public void countCold(String reason) {
        coldByReason.computeIfAbsent(reason, r -> Counter.builder("logomesh_prewarm_cold_starts_total")
                .description("Activations that started a container instead of taking a cell, by reason")
                .tag("reason", r).register(registry)).increment();
    }

    /** Counts a cell that failed to load a plugin (it was destroyed). */
    public void countLoadFailure(Runtime runtime) {
        pools.get(runtime).loadFailures.increment();
    }

    /** Per runtime: configured size, cells ready, cells starting. */
    public Map<String, PoolStatus> status() {
        Map<String, PoolStatus> out = new LinkedHashMap<>();
        for (Pool pool : pools.values()) {
            out.put(pool.runtime.wireName(), new PoolStatus(pool.size, pool.ready.size(), pool.starting,
                    (long) pool.taken.count()));
        }
        return out;
    }

    /**
     * One runtime's pool as {@code GET /system} shows it.
     *
     * @param size     configured number of cells (0: off)
     * @param ready    cells ready to be taken now
     * @param starting cells being started (ready + starting never exceeds size)
     * @param taken    cells handed to plugins since the host started
     */
    public record PoolStatus(int size, int ready, int starting, long taken) {
    }

    private IpcLimits ipcLimits() {
        HostConfig.Ipc ipc = config.ipc();
        return IpcLimits.of(ipc.maxFrameBytes(), ipc.outboxBytes(), ipc.outboxFrames(), ipc.writeTimeout(),
                ipc.maxInFlightRequests(), ipc.notificationTimeout());
    }

    /** One runtime's cells. */
    private final class Pool {
        final Runtime runtime;
        final int size;
        final ConcurrentLinkedDeque<Cell> ready = new ConcurrentLinkedDeque<>();
        final AtomicLong numbers = new AtomicLong();
        final Counter taken;
        final Counter dry;
        final Counter startFailures;
        final Counter loadFailures;
        final Timer startTime;
        int starting; // guarded by this

        Pool(Runtime runtime, int size) {
            this.runtime = runtime;
            this.size = Math.max(0, size);
            String rt = runtime.wireName();
            Gauge.builder("logomesh_prewarm_cells_ready", ready, ConcurrentLinkedDeque::size)
                    .description("Prewarmed cells ready to be taken").tag("runtime", rt).register(registry);
            Gauge.builder("logomesh_prewarm_cells_configured", this, p -> p.size)
                    .description("Configured prewarmed cells (0: the pool is off)").tag("runtime", rt).register(registry);
            taken = Counter.builder("logomesh_prewarm_cells_taken_total").description("Cells handed to a plugin")
                    .tag("runtime", rt).register(registry);
            dry = Counter.builder("logomesh_prewarm_pool_empty_total")
                    .description("Takes that found no ready cell").tag("runtime", rt).register(registry);
            startFailures = Counter.builder("logomesh_prewarm_cell_failures_total")
                    .description("Cells that failed, by stage").tag("runtime", rt).tag("stage", "start").register(registry);
            loadFailures = Counter.builder("logomesh_prewarm_cell_failures_total")
                    .description("Cells that failed, by stage").tag("runtime", rt).tag("stage", "load").register(registry);
            startTime = Timer.builder("logomesh_prewarm_cell_start_seconds")
                    .description("Time to start a cell until its runtime said ready").tag("runtime", rt)
                    .publishPercentileHistogram()
                    .register(registry);
        }

        synchronized boolean isStarting() {
            return starting > 0;
        }

        /** Starts cells until ready + starting reaches the size (at most refill-parallelism at once). */
        synchronized void refill() {
            while (open && ready.size() + starting < size && starting < config.prewarm().refillParallelism()) {
                starting++;
                Thread.ofVirtual().name("cell-start-" + runtime.wireName()).start(this::startOne);
            }
        }

        private void startOne() {
            boolean ok = false;
            try {
                ok = start();
            } finally {
                if (!ok && open) {
                    pause(config.prewarm().retryAfterFailure());
                }
                synchronized (this) {
                    starting--;
                }
                refill();
            }
        }

        /**
         * A cell joins the pool once it has answered a request ({@code ping}, PROTOCOL.md): it is proven to serve,
         * not only to connect, and the path a request takes through its runtime (socket read, dispatch, answer)
         * has run once while it waits, not first in a plugin's start. An error answer (a runtime without
         * {@code ping}) still proves it answers.
         */
        private void awaitPing(PluginChannel channel, Duration timeout) throws InterruptedException, TimeoutException {
            try {
                channel.request("ping", mapper.createObjectNode()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof PluginCallException)) {
                    throw new IllegalStateException("the cell did not answer ping: " + e.getCause().getMessage(), e);
                }
            }
        }

        private boolean start() {
            OptionalInt uid = uids.acquire();
            if (uid.isEmpty()) {
                LOG.warnf("no free cell uid left (logomesh.prewarm.uid-range); %s pool waits", runtime.wireName());
                return false;
            }
            String name = "cell-" + runtime.wireName() + "-" + numbers.incrementAndGet();
            Path folder = root.resolve(name);
            long t0 = System.nanoTime();
            PluginEndpoint endpoint = null;
            PluginContainer container = null;
            Cell[] self = new Cell[1];
            try {
                java.nio.file.Files.createDirectories(Cell.codeDirOf(folder));
                CellHandler handler = new CellHandler(() -> dropIdle(self[0]));
                endpoint = PluginEndpoint.open(name, Cell.ipcDirOf(folder), uid.getAsInt(), ipcLimits(), handler, mapper);
                container = factory.startCell(specs.forCell(runtime, name, uid.getAsInt(), Cell.codeDirOf(folder),
                        Cell.ipcDirOf(folder)), runtime.wireName());
                Duration timeout = config.lifecycle().activationTimeout();
                PluginChannel channel = endpoint.awaitConnection(timeout);
                channel.ready().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                awaitPing(channel, timeout);
                Cell cell = new Cell(name, runtime, uid.getAsInt(), folder, container, endpoint, channel, handler,
                        uids::release);
                self[0] = cell;
                startTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                if (!open || !channel.isOpen()) {
                    cell.destroy();
                    return open;
                }
                ready.add(cell);
                return true;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                startFailures.increment();
                LOG.warnf("cell %s did not start: %s", name, e.getMessage());
                if (endpoint != null) {
                    endpoint.close();
                }
                if (container != null) {
                    container.kill();
                    container.remove();
                }
                CodeFolder.delete(folder);
                uids.release(uid.getAsInt());
                return false;
            }
        }

        /** An idle cell's runtime went away: forget and remove it, start another. */
        private void dropIdle(Cell cell) {
            if (cell != null && ready.remove(cell)) {
                LOG.warnf("idle cell %s lost its runtime; replacing it", cell.name());
                Thread.ofVirtual().name("cell-drop").start(() -> {
                    cell.destroy();
                    refill();
                });
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
