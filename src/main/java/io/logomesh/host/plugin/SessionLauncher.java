package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.ipc.IncomingHandler;
import io.logomesh.host.ipc.IpcLimits;
import io.logomesh.host.ipc.IpcTimeoutException;
import io.logomesh.host.ipc.PluginCallException;
import io.logomesh.host.ipc.PluginChannel;
import io.logomesh.host.ipc.PluginEndpoint;
import io.logomesh.host.container.AfterStart;
import io.logomesh.host.container.ContainerResources;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.manifest.ResourceRequirements;
import io.logomesh.host.prewarm.Cell;
import io.logomesh.host.prewarm.CellFit;
import io.logomesh.host.prewarm.CellPool;
import io.logomesh.host.settings.OperatorConfigs;
import io.logomesh.host.settings.SecretStore;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts a plugin session: opens the plugin's IPC endpoint, starts its locked-down
 * container, waits for the runtime to connect and say {@code ready}, then runs
 * {@code initialize(config)} and {@code activate()}, all within the activation timeout.
 * On any failure everything it made is removed and a {@link PluginActivationException}
 * names the reason.
 *
 * <p>Every start (activation, a restart, a replacement after a timeout) first asks {@link CellFit} whether the
 * plugin can run in a prewarmed cell; if so and its runtime's pool has one, the cell becomes the plugin's
 * container: it is sent {@code load}, and while its runtime handles that, its code folder is filled and its
 * limits are set (memory = memory+swap, CPU, pids: in its cgroup files at once, the engine told afterwards, see
 * {@code DockerContainerResources}); it is renamed {@code logomesh-<id>} in the background; then
 * {@code initialize} and {@code activate} as on the cold path. A cell that fails before {@code initialize} is
 * destroyed and the start goes on with another cell, then cold.
 */
@ApplicationScoped
public class SessionLauncher {

    private static final Duration POLL = Duration.ofMillis(250);
    /** How often a moved plugin's wait asks the manager whether its service still has a task to run. */
    private static final Duration MOVE_POLL = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(SessionLauncher.class);
    /** Cells tried per start before going cold (a second only when the first failed to load). */
    private static final int CELL_ATTEMPTS = 2;
    private static final int RENAME_ATTEMPTS = 8;
    private static final Duration RENAME_RETRY = Duration.ofMillis(50);

    private final ContainerFactory containers;
    private final ContainerSpecs specs;
    private final DataFolder data;
    private final HostConfig config;
    private final ObjectMapper mapper;
    private final CellPool cells;
    private final ContainerResources resources;
    private final PluginStore store;
    private final OperatorConfigs configs;
    private final SecretStore secrets;
    private final LastOutput lastOutput;
    private final Consumer<PluginPlacedInCellEvent> placed;

    @Inject
    public SessionLauncher(ContainerFactory containers, ContainerSpecs specs, DataFolder data,
                           HostConfig config, ObjectMapper mapper, CellPool cells, ContainerResources resources,
                           PluginStore store, OperatorConfigs configs, SecretStore secrets, LastOutput lastOutput,
                           Event<PluginPlacedInCellEvent> placed) {
        this(containers, specs, data, config, mapper, cells, resources, store, configs, secrets, lastOutput,
                (Consumer<PluginPlacedInCellEvent>) placed::fire);
    }

    SessionLauncher(ContainerFactory containers, ContainerSpecs specs, DataFolder data,
                    HostConfig config, ObjectMapper mapper, CellPool cells, ContainerResources resources,
                    PluginStore store, OperatorConfigs configs, SecretStore secrets, LastOutput lastOutput,
                    Consumer<PluginPlacedInCellEvent> placed) {
        this.placed = placed;
        this.configs = configs;
        this.secrets = secrets;
        this.lastOutput = lastOutput;
        this.containers = containers;
        this.specs = specs;
        this.data = data;
        this.config = config;
        this.mapper = mapper;
        this.cells = cells;
        this.resources = resources;
        this.store = store;
    }

    /**
     * @param ipcFolder the name of the IPC folder under the IPC root on the cold path: the plugin id, or a second
     *                  name while an upgrade runs the new version beside the old ({@link PluginHandle}); a cell
     *                  speaks in its own folder
     */
    PluginSession launch(PluginManifest manifest, int uid, IncomingHandler handler, String ipcFolder) {
        long deadline = System.nanoTime() + config.lifecycle().activationTimeout().toNanos();
        Optional<String> cold = CellFit.coldReason(manifest, specs.holdsFilesystem(manifest), cells.nodeLevel());
        if (cold.isEmpty()) {
            boolean inCell = false;
            try {
                for (int attempt = 0; attempt < CELL_ATTEMPTS; attempt++) {
                    Optional<Cell> cell = cells.take(manifest.runtime());
                    if (cell.isEmpty()) {
                        cold = Optional.of(attempt == 0 ? "empty" : "load_failed");
                        break;
                    }
                    Optional<PluginSession> session = onCell(cell.get(), manifest, handler, deadline);
                    if (session.isPresent()) {
                        inCell = true; // its start's AfterStart refills the pool once the start is answered
                        return session.get();
                    }
                    cold = Optional.of("load_failed");
                }
            } finally {
                if (!inCell) {
                    cells.refill(manifest.runtime()); // after the start that took a cell, not during it (CellPool#take)
                }
            }
        }
        cells.countCold(cold.orElse("load_failed"));
        return launchCold(manifest, uid, handler, ipcFolder, deadline);
    }

    /**
     * Makes a cell the plugin's container; empty (the cell destroyed) when it failed before the plugin's code
     * ran, so the start can go on elsewhere. Past that point failures are the plugin's, as on the cold path.
     */
    private Optional<PluginSession> onCell(Cell cell, PluginManifest manifest, IncomingHandler handler, long deadline) {
        String id = manifest.id();
        ResourceRequirements res = manifest.resources();
        PluginContainer container = cell.container();
        cell.handTo(id, handler);
        // whatever lives in a plugin's IPC folder (its egress socket) moves to the cell's, before `load`
        placed.accept(new PluginPlacedInCellEvent(id, cell.endpoint().socketPath().getParent(), cell.uid()));
        ObjectNode load = mapper.createObjectNode()
                .put("pluginId", id)
                .put("main", manifest.main())
                .put("securityLevel", manifest.securityLevel().wireName())
                .put("maxMemoryMB", res.maxMemoryMB())
                .put("maxExecutionMs", res.maxExecutionTimeMs())
                .put("maxConcurrency", res.maxConcurrencyFor(manifest.runtime()));
        CompletableFuture<JsonNode> loaded = cell.channel().requestAtOnce("load", load);
        // the rename and the engine's copy of the limits wait until the start is answered (AfterStart)
        AfterStart afterStart = new AfterStart();
        afterStart.ifStarted(() -> rename(container, id));
        afterStart.execute(() -> cells.refill(manifest.runtime())); // a new cell's start is the engine's heaviest work
        PluginSession session = new PluginSession(cell.endpoint(), container, cell.channel(), cell.uid(),
                why -> lastOutput.keep(id, container, why));
        session.holdUntilStarted(afterStart);
        Started started;
        try {
            // while the runtime handles `load` (it reads no code until initialize): the code, then the limits,
            // on this thread (each takes microseconds to a few milliseconds; a hop to another thread costs more);
            // then initialize and activate, without waiting for load's answer (the runtime runs them after it,
            // and refuses them, running no plugin code, if load failed)
            fill(cell, id);
            resources.applyLive(container.id(), res.maxMemoryMB() * 1024L * 1024L, res.maxCpuPercent(),
                    config.limits().pidsLimit(), afterStart);
            started = sendStart(session, manifest);
            loaded.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warnf("plugin %s: cell %s failed to take it (%s); trying elsewhere", id, cell.name(),
                    cause == null ? e : cause.getMessage());
            cells.countLoadFailure(manifest.runtime());
            afterStart.abandon();
            Thread.ofVirtual().name("cell-destroy").start(cell::destroy);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            afterStart.abandon();
            Thread.ofVirtual().name("cell-destroy").start(cell::destroy);
            throw new PluginActivationException(id, "interrupted");
        }
        return Optional.of(awaitStarted(session, started, manifest, cell.endpoint(), container, deadline));
    }

    private void fill(Cell cell, String id) {
        try {
            cell.fillCode(store.codeDir(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fill the cell's code folder", e);
        }
    }

    /**
     * Renames the cell {@code logomesh-<id>}. The name may still be held by the container this one replaces
     * (removed in the background after a timeout): then it retries a few times, never holding up the start.
     */
    private void rename(PluginContainer container, String id) {
        String name = ContainerSpec.containerName(id);
        for (int attempt = 1; ; attempt++) {
            try {
                container.rename(name);
                return;
            } catch (RuntimeException e) { // the engine's refusal, e.g. the name is still taken
                if (attempt == RENAME_ATTEMPTS) {
                    LOG.warnf("plugin %s: its container %s could not be named %s: %s", id, container.id(), name,
                            e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(RENAME_RETRY.toMillis() * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private PluginSession launchCold(PluginManifest manifest, int uid, IncomingHandler handler, String ipcFolder,
                                     long deadline) {
        String id = manifest.id();
        Path ipcDir = data.ipcRoot().resolve(ipcFolder);
        // a remote plugin (cluster mode) is relayed by its node's agent, which checked its uid on the node
        int peer = containers.remote() ? io.logomesh.host.ipc.OwnedSocket.ownUid() : uid;
        PluginEndpoint endpoint = PluginEndpoint.open(id, ipcDir, peer, ipcLimits(), handler, mapper);
        PluginContainer container = null;
        PluginChannel channel;
        try {
            container = containers.start(specs.forPlugin(manifest, uid, ipcDir));
            channel = awaitConnection(endpoint, container, deadline);
            channel.ready().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ContainerLaunchException | ContainerEngineException e) {
            endpoint.close();
            throw e;
        } catch (TimeoutException | IpcTimeoutException e) {
            throw failed(id, endpoint, container, "timeout");
        } catch (RuntimeException | ExecutionException e) {
            throw failed(id, endpoint, container, "disconnected");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(id, endpoint, container, "interrupted");
        }
        PluginContainer started = container;
        return initializeAndActivate(new PluginSession(endpoint, container, channel, uid,
                why -> lastOutput.keep(id, started, why)), manifest, endpoint, container, deadline);
    }

    /**
     * Cluster mode, the plugin's node lost ({@link ConnectionLoss#MOVED}): waits up to {@code wait} for the task the
     * swarm placed on another node to connect to the same endpoint (through that node's agent and the relay, which
     * route it only from the node the manager placed the task on: identity is still the route, never a frame), then
     * runs the start on it as on a fresh start, the new container's runtime being fresh: {@code ready}, then
     * {@code initialize(config)} and {@code activate()} within the activation timeout. The service is kept. The wait
     * ends early when a container of the service ended on a node.
     *
     * @throws PluginActivationException when no connection came in time ({@code node_lost}), the container ended,
     *         or the start failed; the container (the service) and the endpoint are then removed, as after a failed
     *         start, so that the restart policy starts the plugin anew
     */
    PluginSession adopt(PluginSession old, PluginManifest manifest, Duration wait) {
        String id = manifest.id();
        PluginEndpoint endpoint = old.endpoint();
        PluginContainer container = old.container();
        long waitEnd = System.nanoTime() + wait.toNanos();
        PluginChannel channel = null;
        while (channel == null) {
            long left = remainingMs(waitEnd);
            if (left <= 0) {
                throw failed(id, endpoint, container, "node_lost");
            }
            try {
                channel = endpoint.awaitConnection(Duration.ofMillis(Math.min(left, MOVE_POLL.toMillis())));
            } catch (IpcTimeoutException e) {
                if (ConnectionLoss.givesUp(container.placement())) {
                    throw failed(id, endpoint, container, "disconnected");
                }
            } catch (RuntimeException e) { // the endpoint closed
                throw failed(id, endpoint, container, "disconnected");
            }
        }
        long deadline = System.nanoTime() + config.lifecycle().activationTimeout().toNanos();
        try {
            channel.ready().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failed(id, endpoint, container, "timeout");
        } catch (ExecutionException | RuntimeException e) {
            throw failed(id, endpoint, container, "disconnected");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(id, endpoint, container, "interrupted");
        }
        return initializeAndActivate(old.takeOver(channel), manifest, endpoint, container, deadline);
    }

    /** {@code initialize(config)} then {@code activate()}, within the deadline; a failure removes everything. */
    private PluginSession initializeAndActivate(PluginSession session, PluginManifest manifest, PluginEndpoint endpoint,
                                                PluginContainer container, long deadline) {
        Started started;
        try {
            started = sendStart(session, manifest);
        } catch (RuntimeException e) {
            throw failed(manifest.id(), endpoint, container, "disconnected");
        }
        return awaitStarted(session, started, manifest, endpoint, container, deadline);
    }

    /** The answers to a start's {@code initialize} and {@code activate}, sent together. */
    private record Started(CompletableFuture<JsonNode> initialized, CompletableFuture<JsonNode> activated) {
    }

    /**
     * Sends {@code initialize(config)} and {@code activate()} in one go: the runtime runs lifecycle requests one
     * after another in the order they came and refuses {@code activate} ({@code aborted}) when {@code initialize}
     * failed (PROTOCOL.md, "Sequence"), so a start costs one wake-up of the runtime, not two.
     */
    private Started sendStart(PluginSession session, PluginManifest manifest) {
        CompletableFuture<JsonNode> initialized = session.startCall("initialize", initializeParams(manifest));
        return new Started(initialized, session.startCall("activate", mapper.createObjectNode()));
    }

    /** Waits for the start's answers, within the deadline; a failure (the first step's) removes everything. */
    private PluginSession awaitStarted(PluginSession session, Started started, PluginManifest manifest,
                                       PluginEndpoint endpoint, PluginContainer container, long deadline) {
        String id = manifest.id();
        try {
            await(started.initialized(), deadline);
            await(started.activated(), deadline);
            return session;
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            session.abandonStart(); // before the container goes: its held engine writes end first
            throw startFailure(id, endpoint, container, e);
        }
    }

    private RuntimeException startFailure(String id, PluginEndpoint endpoint, PluginContainer container, Exception e) {
        if (e instanceof ContainerLaunchException || e instanceof ContainerEngineException) {
            endpoint.close();
            return (RuntimeException) e;
        }
        if (e instanceof PluginCallException call) {
            return failed(id, endpoint, container, call.code() + ": " + call.getMessage());
        }
        if (e instanceof TimeoutException || e instanceof IpcTimeoutException) {
            return failed(id, endpoint, container, "timeout");
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return failed(id, endpoint, container, "interrupted");
        }
        return failed(id, endpoint, container, "disconnected");
    }

    /**
     * The one place the {@code initialize} frame is made: the plugin id, the effective config (operator values
     * merged over the bundle's) and the plugin's secrets, decrypted (never in the environment, never logged).
     */
    private ObjectNode initializeParams(PluginManifest manifest) {
        ObjectNode init = mapper.createObjectNode().put("pluginId", manifest.id());
        init.set("config", configs.effective(manifest));
        ObjectNode values = init.putObject("secrets");
        secrets.values(manifest.id()).forEach(values::put);
        return init;
    }

    /**
     * Refuses to start a plugin whose effective config its {@code configSchema} refuses.
     *
     * @throws io.logomesh.host.settings.ConfigInvalidException listing every violation
     */
    void requireValidConfig(PluginManifest manifest) {
        var violations = OperatorConfigs.violations(manifest, configs.effective(manifest));
        if (!violations.isEmpty()) {
            throw new io.logomesh.host.settings.ConfigInvalidException(violations);
        }
    }

    /** Text from a plugin (a failure reason, an error) with its secrets' values cut out. */
    String redact(String pluginId, String text) {
        return secrets.redact(pluginId, text);
    }

    private IpcLimits ipcLimits() {
        HostConfig.Ipc ipc = config.ipc();
        return IpcLimits.of(ipc.maxFrameBytes(), ipc.outboxBytes(), ipc.outboxFrames(), ipc.writeTimeout(),
                ipc.maxInFlightRequests(), ipc.notificationTimeout());
    }

    private static void await(java.util.concurrent.CompletableFuture<JsonNode> call, long deadline)
            throws TimeoutException, InterruptedException {
        try {
            call.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw e;
        }
    }

    /** Waits for the runtime to connect, giving up early if its container has already ended. */
    private PluginChannel awaitConnection(PluginEndpoint endpoint, PluginContainer container, long deadline)
            throws TimeoutException {
        while (true) {
            long left = remainingMs(deadline);
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                return endpoint.awaitConnection(Duration.ofMillis(Math.min(left, POLL.toMillis())));
            } catch (IpcTimeoutException e) {
                Optional<ContainerExit> exit = container.awaitExit(Duration.ZERO);
                if (exit.isEmpty() || !exit.get().running()) {
                    throw new IllegalStateException("container ended before connecting");
                }
            }
        }
    }

    private PluginActivationException failed(String id, PluginEndpoint endpoint, PluginContainer container,
                                             String reason) {
        String why = reason;
        if (container != null) {
            Optional<ContainerExit> exit = container.awaitExit(Duration.ofMillis(500));
            if (exit.isPresent() && !exit.get().running()) {
                why = exit.get().reason() + (reason.equals("disconnected") ? "" : " (" + reason + ")");
            }
            container.stop(config.lifecycle().stopGrace());
            lastOutput.keep(id, container, "activation failed: " + secrets.redact(id, why)); // LAST OUTPUT: kept before it goes
            container.remove();
        }
        endpoint.close();
        return new PluginActivationException(id, secrets.redact(id, why));
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
