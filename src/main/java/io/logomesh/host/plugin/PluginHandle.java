package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.container.NodeUnavailableException;
import io.logomesh.host.ipc.IpcClosedException;
import io.logomesh.host.ipc.PluginCallException;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.plugin.restart.PluginRestartEvent;
import io.logomesh.host.plugin.restart.RestartPolicy;
import io.logomesh.host.plugin.restart.RestartScheduler;
import io.logomesh.host.plugin.restart.RestartTracker;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One installed plugin and its lifecycle: the only place its state changes
 * ({@link #transition}), guarded by the transitions drawn in {@link PluginState}.
 * Lifecycle operations run one at a time (a second one meanwhile is refused as busy);
 * actions run concurrently on the current session. A run that ends without being asked to (crash, exit,
 * OOM kill, lost connection, lost engine) is restarted by its {@link RestartPolicy}: RESTARTING for the
 * back-off, then STARTING again, until a crash loop leaves it FAILED ({@code crash_loop}).
 */
public final class PluginHandle {

    private static final Executor PRESAVE = command -> Thread.ofVirtual().name("record-write").start(command);
    private static final Logger LOG = Logger.getLogger(PluginHandle.class);
    private static final Set<PluginState> ACTIVATABLE = EnumSet.of(PluginState.INSTALLED, PluginState.INACTIVE,
            PluginState.FAILED);
    private static final Runnable NO_GUARD = () -> { };

    /** Replaced only by {@link #upgrade} (with {@link #session}, under {@code stateLock}). */
    private volatile PluginManifest manifest;
    private final SessionLauncher launcher;
    private final PluginStore store;
    private final HostConfig config;
    private final Consumer<PluginStateEvent> events;
    private final PluginRequestRouter router;
    private final RestartContext restarts;
    private final RestartTracker tracker;
    private final ReentrantLock ops = new ReentrantLock();
    private final Object stateLock = new Object();

    private PluginRecord record;
    private volatile PluginState state;
    private volatile String failureReason;
    private volatile PluginSession session;
    /** True from an unasked-for end (or a recycle) until the plugin is ACTIVE again, FAILED or stopped. */
    private volatile boolean replacing;
    private volatile Instant nextAttemptAt;
    private volatile boolean closing;
    private RestartScheduler.Cancellable pending;
    private volatile Instant activatedAt;
    private volatile Instant updatedAt;
    private volatile boolean persist = true;
    /**
     * The ACTIVE record an operator's activation writes while the plugin starts, so that its fsync overlaps the
     * start instead of following it; taken up (joined) by the next transition, under {@link #stateLock}.
     */
    private CompletableFuture<PluginRecord> presaved;
    /** Name of the current session's IPC folder under the IPC root: the id, or the second name after an upgrade. */
    private volatile String ipcFolder;

    PluginHandle(PluginManifest manifest, PluginRecord record, SessionLauncher launcher, PluginStore store,
                 HostConfig config, Consumer<PluginStateEvent> events, HostCalls calls) {
        this(manifest, record, launcher, store, config, events, calls, RestartContext.NONE);
    }

    PluginHandle(PluginManifest manifest, PluginRecord record, SessionLauncher launcher, PluginStore store,
                 HostConfig config, Consumer<PluginStateEvent> events, HostCalls calls, RestartContext restarts) {
        this.manifest = manifest;
        this.record = record;
        this.state = record.state();
        this.failureReason = record.failureReason();
        this.updatedAt = record.updatedAt();
        this.launcher = launcher;
        this.store = store;
        this.config = config;
        this.events = events;
        this.router = new PluginRequestRouter(this, calls, this::redact);
        this.ipcFolder = manifest.id();
        this.restarts = restarts;
        this.tracker = new RestartTracker(config == null || restarts.scheduler() == null ? RestartPolicy.NEVER
                : RestartPolicy.of(manifest.raw(), config.restart()));
    }

    /** The folder under the IPC root the running version speaks in ({@code <id>}, or {@code <id>.next} after an upgrade). */
    public String ipcFolderName() {
        return ipcFolder;
    }

    /**
     * The IPC folder the running session's runtime speaks in, when one runs: the plugin's own ({@link
     * #ipcFolderName()} under the IPC root) on the cold path, the cell's in a prewarmed container.
     */
    public Optional<java.nio.file.Path> sessionIpcDir() {
        PluginSession s = session;
        return s == null ? Optional.empty() : Optional.of(s.ipcDir());
    }

    public String id() {
        return manifest.id();
    }

    public PluginManifest manifest() {
        return manifest;
    }

    public PluginState state() {
        return state;
    }

    /** What operators see now. */
    public PluginSnapshot snapshot() {
        synchronized (stateLock) {
            PluginSession s = session;
            return new PluginSnapshot(id(), manifest.name(), manifest.version().toString(),
                    manifest.runtime().wireName(), state, failureReason, s == null ? null : s.containerId(),
                    s == null ? record.uid() : s.uid(), manifest.raw(), record.installedAt(), updatedAt, activatedAt,
                    tracker.status(Instant.now(), state == PluginState.RESTARTING ? nextAttemptAt : null));
        }
    }

    /** Text from this plugin (a log line, an error) with its secrets' values cut out. */
    String redact(String text) {
        return launcher.redact(id(), text);
    }

    /**
     * INSTALLED / INACTIVE / FAILED → STARTING → ACTIVE (or FAILED, and the failure is thrown).
     * First runs {@code guard} (which may refuse by throwing) and the first transition while holding
     * {@code guardLock}, so that a check across plugins (dependencies) and this plugin's move to
     * STARTING happen as one step.
     */
    void activate(Runnable guard, Object guardLock) {
        lockOrBusy("activate");
        try {
            synchronized (guardLock) {
                guard.run();
                transition(ACTIVATABLE, PluginState.STARTING, null, "activate");
                synchronized (stateLock) {
                    tracker.reset();
                    presaveActive();
                }
            }
            startSession();
        } finally {
            synchronized (stateLock) {
                takePresaved(); // a start that ended without a transition still has its write finished here
            }
            ops.unlock();
        }
    }

    /**
     * Writes the record ACTIVE in the background as the start begins (issue 14: the write and its fsync cost
     * 1.5–4 ms, as much as the rest of a prewarmed start). If the start fails, its transition writes the outcome
     * after this write has finished; if the host dies in between, the record says ACTIVE and the plugin is started
     * again at the next start-up, which is what the operator asked for. Holding {@link #stateLock}.
     */
    private void presaveActive() {
        if (!persist || record.state() == PluginState.ACTIVE) {
            return;
        }
        PluginRecord next = record.with(PluginState.ACTIVE, null, Instant.now());
        presaved = CompletableFuture.supplyAsync(() -> {
            store.save(next);
            return next;
        }, PRESAVE);
    }

    /** Waits for a background record write, if any, and takes its record as the stored one. Holding {@link #stateLock}. */
    private void takePresaved() {
        CompletableFuture<PluginRecord> pending = presaved;
        if (pending == null) {
            return;
        }
        presaved = null;
        try {
            record = pending.join();
        } catch (CompletionException e) { // the record stays as it was stored; the transition writes it again
            LOG.warnf("plugin %s: writing its record failed: %s", id(), String.valueOf(e.getCause().getMessage()));
        }
    }

    /**
     * ACTIVE → STOPPING → INACTIVE: runs {@code deactivate(ctx)}, then stops the container; with a
     * guard run together with the move to STOPPING (see {@link #activate(Runnable, Object)}).
     */
    void deactivate(Runnable guard, Object guardLock) {
        lockOrBusy("deactivate");
        try {
            stop(false, guard, guardLock);
        } finally {
            ops.unlock();
        }
    }

    /**
     * Stops the plugin if it runs (deactivate and dispose run), then removes its container and files;
     * with a guard run under {@code guardLock} before anything changes.
     */
    void uninstall(Runnable guard, Object guardLock) {
        lockOrBusy("uninstall");
        try {
            synchronized (guardLock) {
                guard.run();
            }
            if (state == PluginState.ACTIVE || state == PluginState.RESTARTING) {
                stop(true, NO_GUARD, new Object());
            }
            Set<PluginState> from = EnumSet.of(PluginState.INSTALLED, PluginState.INACTIVE, PluginState.FAILED);
            PluginState now = state;
            if (!from.contains(now)) {
                throw new IllegalTransitionException(id(), now, "uninstall");
            }
            // files out first: a refusal leaves the plugin as it was (DELETE can be sent again), never UNINSTALLED half-way
            store.retire(id());
            transition(from, PluginState.UNINSTALLED, null, "uninstall");
            store.purgeRetired();
        } finally {
            ops.unlock();
        }
    }

    /**
     * Dispatches one action to the running plugin and returns its outcome; never blocks. Refuses at once,
     * by throwing, when the plugin cannot take it: {@link PluginRestartingException} while its container is
     * being replaced, {@link IllegalTransitionException} when it is not ACTIVE. The future completes with the
     * result (a plugin exception is a failed result) or fails with: {@link ActionTimeoutException} when the
     * action outlives {@code maxExecutionTimeMs}, counted from this call or, while actions dispatched before it
     * are still inside the plugin, from when the last of them ended ({@link ActionClock}; the container is then
     * replaced);
     * {@link PluginRestartingException} when its container was replaced while it ran;
     * {@link PluginBusyException} when the connection took no more frames; {@link PluginUnavailableException}
     * when the container ended.
     */
    public CompletableFuture<ActionResult> execute(ActionRequest action) {
        PluginSession s = sessionForAction();
        long limitMs = manifest.resources().maxExecutionTimeMs();
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putObject("action").put("id", action.id()).put("type", action.type())
                .set("payload", action.payload());
        long t0 = System.nanoTime();
        return s.actionClock().dispatch(() -> s.call("execute", params), TimeUnit.MILLISECONDS.toNanos(limitMs))
                .handle((result, error) -> {
                    if (error == null) {
                        return ActionResult.ok(result, elapsedMs(t0));
                    }
                    Throwable cause = unwrap(error);
                    if (cause instanceof PluginCallException pce) {
                        String text = "plugin_error".equals(pce.code()) ? pce.getMessage()
                                : pce.code() + ": " + pce.getMessage();
                        return ActionResult.failed(launcher.redact(id(), text), elapsedMs(t0)); // no secret values
                    }
                    throw actionFailure(s, action, limitMs, cause);
                });
    }

    /**
     * Refuses at once, by throwing, when the plugin cannot take an action now: {@link PluginRestartingException}
     * while its container is being replaced or it is RESTARTING (Retry-After = seconds to the next try),
     * {@link PluginFailedException} when it is FAILED, {@link IllegalTransitionException} when it is not ACTIVE.
     */
    public void requireAcceptingActions() {
        sessionForAction();
    }

    /**
     * Why a call into the plugin (a message from another plugin) is refused now, if it is: a
     * {@link PluginRestartingException} while it is being restarted, else {@link PluginNotActiveException}
     * unless it is ACTIVE.
     */
    public Optional<PluginHostException> refusalOfCalls() {
        PluginSession s = session;
        if (state == PluginState.ACTIVE && s != null && !s.isEnding()) {
            return Optional.empty();
        }
        if (isRestarting() || state == PluginState.ACTIVE && restartsAfterEnd()) {
            return Optional.of(restartingRefusal());
        }
        return Optional.of(new PluginNotActiveException(id(), state));
    }

    /** Whether the plugin is being restarted (RESTARTING, or STARTING again after an unasked-for end). */
    public boolean isRestarting() {
        PluginState now = state;
        return now == PluginState.RESTARTING || now == PluginState.STARTING && replacing;
    }

    private PluginHostException actionFailure(PluginSession s, ActionRequest action, long limitMs, Throwable cause) {
        if (cause instanceof TimeoutException) {
            recycle(s, "timeout");
            return new ActionTimeoutException("action '" + action.type() + "' of plugin " + id()
                    + " outlived its limit of " + limitMs + " ms; the container was replaced");
        }
        if (cause instanceof PluginHostException phe && "busy".equals(phe.code())) {
            return new PluginBusyException("the connection to plugin " + id() + " takes no more actions now: "
                    + phe.getMessage(), retryAfterSeconds());
        }
        if (cause instanceof IpcClosedException) {
            if (s.isEnding() && replacing) {
                return new PluginRestartingException("the container of plugin " + id()
                        + " was replaced while the action ran (another action overran its limit)", retryAfterSeconds());
            }
            if (restartsAfterEnd()) {
                return new PluginRestartingException("the container of plugin " + id()
                        + " ended during the action; it is being restarted", retryAfterSeconds());
            }
            return new PluginUnavailableException("the container of plugin " + id() + " ended during the action");
        }
        if (cause instanceof PluginHostException phe) {
            return new PluginUnavailableException("the call to plugin " + id() + " failed: " + phe.getMessage());
        }
        return new PluginUnavailableException("the call to plugin " + id() + " failed: " + cause.getMessage());
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private long retryAfterSeconds() {
        return Math.max(1, config.actions().retryAfter().toSeconds());
    }

    /**
     * Sends a request to the running plugin's runtime (e.g. {@code message}); the caller owns the
     * timeout. Fails at once with {@link PluginNotActiveException} unless the plugin is ACTIVE.
     */
    public CompletableFuture<JsonNode> callRuntime(String method, ObjectNode params) {
        PluginSession s = session;
        if (state != PluginState.ACTIVE || s == null) {
            return CompletableFuture.failedFuture(new PluginNotActiveException(id(), state));
        }
        return s.call(method, params);
    }

    /** Sends a notification (e.g. {@code event}) to the running plugin; false when it is not running. */
    public boolean notifyRuntime(String method, ObjectNode params) {
        PluginSession s = session;
        return state == PluginState.ACTIVE && s != null && s.tell(method, params);
    }

    /**
     * Ends a running plugin because the host must (e.g. an OOM kill, a critical resource violation): stops its
     * container (SIGTERM, SIGKILL after the grace), then goes ACTIVE → RESTARTING (policy {@code on-failure})
     * or FAILED with {@code reason} (e.g. {@code oom}, {@code memory_limit}). Waits for a lifecycle operation
     * in progress first.
     *
     * @return whether this call ended it; false when it was not ACTIVE (any more)
     */
    public boolean terminate(String reason) {
        ops.lock();
        try {
            PluginSession s = session;
            if (state != PluginState.ACTIVE || s == null) {
                return false;
            }
            LOG.warnf("plugin %s: terminating it (%s)", id(), reason);
            s.endFailed(config.lifecycle().stopGrace(), reason);
            session = null;
            afterFailure(PluginState.ACTIVE, reason, activatedAt, true);
            return true;
        } finally {
            ops.unlock();
        }
    }

    /** The host is stopping: end the session without recording a state change (it is started again next time). */
    void shutdown() {
        persist = false;
        closing = true;
        cancelPending();
        PluginSession s = session;
        if (s != null) {
            s.end(config.lifecycle().stopGrace());
        }
    }

    /** The runtime's connection closed; if nobody asked for it, the run failed (and is restarted by policy). */
    void onConnectionClosed() {
        PluginSession s = session;
        if (s == null || s.isEnding() || s.isConnected()) {
            return;
        }
        Thread.ofVirtual().name("ended-" + id()).start(() -> {
            ops.lock();
            try {
                if (session != s || s.isEnding() || followedToAnotherNode(s)) {
                    return;
                }
                String why;
                try {
                    why = s.endAfterCrash(Duration.ofSeconds(2));
                } catch (RuntimeException e) {
                    LOG.warnf("plugin %s: cleaning up after its container ended failed: %s", id(), e.getMessage());
                    why = "vanished";
                }
                session = null;
                LOG.warnf("plugin %s: container ended unexpectedly (%s)", id(), why);
                afterFailure(PluginState.ACTIVE, why, activatedAt, true);
            } finally {
                ops.unlock();
            }
        });
    }

    /**
     * Cluster mode: the connection ended because the plugin's node was lost ({@link ConnectionLoss#MOVED}): ACTIVE →
     * STARTING (actions meanwhile 503 {@code restarting}), the service kept, and the plugin started on the connection
     * of the task the swarm placed on another node ({@link SessionLauncher#adopt}), then ACTIVE again with a
     * {@link PluginMovedEvent}; nothing is counted against it. Without that connection in time (or if its start
     * fails) the service is removed and the restart policy takes over, as for a crash. Runs holding {@link #ops}.
     *
     * @return false (nothing done) when the run ended otherwise: the caller ends it as a crash
     */
    private boolean followedToAnotherNode(PluginSession s) {
        Duration wait = reconnectTimeout();
        Optional<io.logomesh.host.container.ContainerPlacement> where;
        try {
            where = s.container().placement();
        } catch (RuntimeException e) {
            return false;
        }
        if (closing || ConnectionLoss.of(wait, where) != ConnectionLoss.MOVED) {
            return false;
        }
        String from = where.get().ranOn();
        Instant activeSince = activatedAt;
        synchronized (stateLock) {
            if (session != s || state != PluginState.ACTIVE) {
                return false;
            }
            session = null;
            replacing = true;
            transition(EnumSet.of(PluginState.ACTIVE), PluginState.STARTING, "node_lost", "restart");
        }
        LOG.warnf("plugin %s: its node %s was lost; waiting up to %d ms for its task to connect from another node",
                id(), from, wait.toMillis());
        long t0 = System.nanoTime();
        PluginSession fresh;
        try {
            fresh = launcher.adopt(s, manifest, wait);
        } catch (PluginActivationException e) {
            LOG.warnf("plugin %s: it was not taken up on another node (%s); restarting it", id(), e.reason());
            afterFailure(PluginState.STARTING, e.reason(), activeSince, true);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: taking it up on another node failed: %s", id(), e.getMessage());
            s.endAfterCrash(Duration.ZERO);
            afterFailure(PluginState.STARTING, "node_lost", activeSince, true);
            return true;
        }
        session = fresh;
        activatedAt = Instant.now();
        transition(EnumSet.of(PluginState.STARTING), PluginState.ACTIVE, null, "activate");
        replacing = false;
        if (closing) { // the host stops meanwhile: as shutdown() would have
            fresh.end(config.lifecycle().stopGrace());
            return true;
        }
        String to = fresh.container().resettle().orElse("unknown");
        long took = elapsedMs(t0);
        LOG.infof("plugin %s: moved from node %s to node %s, ACTIVE again after %d ms (its service kept)", id(),
                from, to, took);
        restarts.moves().accept(new PluginMovedEvent(id(), from, to, took, activatedAt));
        return true;
    }

    /**
     * Cluster mode: the node agent of {@code nodeId} lost its link. If this plugin's task ran there its connection,
     * relayed from that node, is silent for good: it is cut off now, so that actions meanwhile are refused at once
     * (503 {@code restarting}) instead of waiting on it, and the end is taken as a move ({@link ConnectionLoss}).
     */
    void onNodeLost(String nodeId) {
        PluginSession s = session;
        if (s == null || s.isEnding() || state != PluginState.ACTIVE || reconnectTimeout().isZero()) {
            return;
        }
        try {
            if (s.container().placement().filter(p -> p.ranOn().equals(nodeId)).isPresent()) {
                LOG.infof("plugin %s: its node %s was lost; cutting off its connection from there", id(), nodeId);
                s.cutOff();
            }
        } catch (RuntimeException e) {
            LOG.debugf("plugin %s: where it runs is not known: %s", id(), e.getMessage());
        }
    }

    private Duration reconnectTimeout() {
        return config == null ? Duration.ZERO : config.cluster().reconnectTimeout();
    }

    /**
     * Starts a RESTARTING plugin now instead of after its back-off (the engine is back); returns when the
     * attempt is over. Does nothing in any other state.
     */
    void restartNow() {
        if (state != PluginState.RESTARTING) {
            return;
        }
        cancelPending();
        attemptRestart();
    }

    PluginRequestRouter router() {
        return router;
    }

    private void stop(boolean dispose, Runnable guard, Object guardLock) {
        if (state == PluginState.RESTARTING) {
            synchronized (guardLock) {
                guard.run();
                cancelPending();
                replacing = false;
                transition(EnumSet.of(PluginState.RESTARTING), PluginState.INACTIVE, null, "deactivate");
                synchronized (stateLock) {
                    tracker.ended("cancelled");
                    tracker.reset();
                }
            }
            return;
        }
        synchronized (guardLock) {
            guard.run();
            transition(EnumSet.of(PluginState.ACTIVE), PluginState.STOPPING, null, "deactivate");
        }
        synchronized (stateLock) {
            tracker.reset();
        }
        PluginSession s = session;
        try {
            boolean answering = callQuietly(s, "deactivate") && (!dispose || callQuietly(s, "dispose"));
            if (answering) {
                s.end(config.lifecycle().stopGrace());
            } else {
                s.kill(); // it did not answer in time (or is not reading): no shutdown frame, no grace
            }
        } finally {
            session = null;
            transition(EnumSet.of(PluginState.STOPPING), PluginState.INACTIVE, null, "deactivate");
        }
    }

    /** Calls a lifecycle method; true when the plugin answered (even with an error), false when it did not. */
    private boolean callQuietly(PluginSession s, String method) {
        try {
            s.call(method, JsonNodeFactory.instance.objectNode())
                    .get(config.lifecycle().callTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            LOG.warnf("plugin %s: %s failed: %s", id(), method,
                    PluginLogText.sanitise(String.valueOf(e.getCause().getMessage()), PluginLogText.REASON_CHARS));
            return e.getCause() instanceof PluginCallException;
        } catch (TimeoutException e) {
            LOG.warnf("plugin %s: %s did not answer within %s; killing it", id(), method,
                    config.lifecycle().callTimeout());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * An operator's start: a failure is thrown to the operator; the plugin's own failure (it exited, timed out,
     * could not load) goes to the restart policy like a crash, and so does an engine that does not answer (not
     * counted: the plugin is started once the engine is back), and a node it is pinned to that is away (it waits
     * for it, {@link #afterWait}); a launch the engine refused leaves it FAILED.
     */
    private void startSession() {
        try {
            launchSession();
        } catch (PluginActivationException e) {
            afterFailure(PluginState.STARTING, e.reason(), null, true);
            throw e;
        } catch (ContainerLaunchException e) {
            transition(EnumSet.of(PluginState.STARTING), PluginState.FAILED, "launch_failed", "fail");
            throw e;
        } catch (NodeUnavailableException e) {
            afterWait(e.code()); // its node is away: it starts there once the node is back
            throw e;
        } catch (ContainerEngineException e) {
            // the engine is away: with on-failure the plugin waits for it (started once it answers again)
            afterFailure(PluginState.STARTING, e.code(), null, false);
            throw e;
        }
    }

    /**
     * The host's own start of a plugin that ended without being asked to (or was recycled): a failure goes
     * to the restart policy again, never to a caller. Runs holding {@link #ops}, in STARTING.
     */
    private void restartSession() {
        synchronized (stateLock) {
            tracker.started(Instant.now());
        }
        try {
            launchSession();
            synchronized (stateLock) {
                tracker.ended("started");
            }
        } catch (PluginActivationException e) {
            restartFailed(e.reason(), true);
        } catch (ContainerLaunchException e) {
            restartFailed("launch_failed", true);
        } catch (NodeUnavailableException e) {
            synchronized (stateLock) {
                tracker.ended("failed:" + e.code());
            }
            afterWait(e.code());
        } catch (ContainerEngineException e) {
            restartFailed(e.code(), false); // the engine is away: not the plugin's fault; retried when it is back
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: restarting it failed: %s", id(), e.getMessage());
            restartFailed("restart_failed", true);
        }
    }

    private void restartFailed(String reason, boolean counted) {
        String why = PluginLogText.sanitise(reason, PluginLogText.REASON_CHARS);
        synchronized (stateLock) {
            tracker.ended("failed:" + why);
        }
        afterFailure(PluginState.STARTING, why, null, counted);
    }

    private void launchSession() {
        session = launcher.launch(manifest, record.uid(), router, ipcFolder);
        activatedAt = Instant.now();
        transition(EnumSet.of(PluginState.STARTING), PluginState.ACTIVE, null, "activate");
        session.started(); // the engine's bookkeeping it held back (AfterStart)
        replacing = false; // after ACTIVE: until then an action is refused as restarting (503), never 409
    }

    /**
     * A run ended (or a restart failed) without anyone asking: with policy {@code never} (or while the host
     * stops) the plugin goes FAILED; else RESTARTING with the back-off the {@link RestartTracker} decides, or
     * FAILED {@code crash_loop} when it gives up. Runs holding {@link #ops}; the session is already gone.
     */
    private void afterFailure(PluginState from, String reason, Instant activeSince, boolean counted) {
        String why = PluginLogText.sanitise(reason, PluginLogText.REASON_CHARS);
        if (closing || !tracker.policy().restarts()) {
            replacing = false;
            transition(EnumSet.of(from), PluginState.FAILED, why, "fail");
            return;
        }
        Instant now = Instant.now();
        RestartTracker.Decision decision;
        synchronized (stateLock) {
            decision = tracker.onFailure(now, why, activeSince, counted);
        }
        switch (decision) {
            case RestartTracker.GiveUp g -> {
                replacing = false;
                LOG.warnf("plugin %s: crash loop (%d restarts within %s; last reasons %s); it stays FAILED", id(),
                        g.restarts(), g.window(), g.reasons());
                transition(EnumSet.of(from), PluginState.FAILED, PluginRestartEvent.CRASH_LOOP, "fail");
                restarts.events().accept(new PluginRestartEvent(id(), PluginRestartEvent.CRASH_LOOP, why, 0,
                        g.restarts(), g.window().toSeconds(), g.reasons(), now));
            }
            case RestartTracker.Restart r -> {
                replacing = true;
                nextAttemptAt = r.at();
                LOG.infof("plugin %s: restarting it in %d ms (%s)", id(), r.delay().toMillis(), why);
                transition(EnumSet.of(from), PluginState.RESTARTING, why, "restart");
                int count;
                List<String> reasons;
                synchronized (stateLock) {
                    count = tracker.count(now);
                    reasons = tracker.status(now, null).lastReasons();
                    pending = restarts.scheduler().schedule("restart-" + id(), this::attemptRestart, r.delay());
                }
                restarts.events().accept(new PluginRestartEvent(id(), PluginRestartEvent.SCHEDULED, why,
                        r.delay().toMillis(), count, tracker.policy().window().toSeconds(), reasons, now));
            }
        }
    }

    /**
     * A start failed because what the plugin needs outside it is away (its node, cluster mode): with policy
     * {@code on-failure} it goes RESTARTING with that reason and is tried again on the wait's own back-off
     * ({@link RestartTracker#onWait}: never a crash loop, no crash budget spent), so it comes back once the node
     * does; with {@code never} (or while the host stops) it is FAILED with that reason. Runs holding {@link #ops}.
     */
    private void afterWait(String reason) {
        if (closing || !tracker.policy().restarts()) {
            replacing = false;
            transition(EnumSet.of(PluginState.STARTING), PluginState.FAILED, reason, "fail");
            return;
        }
        Instant now = Instant.now();
        RestartTracker.Restart r;
        int count;
        List<String> reasons;
        replacing = true;
        synchronized (stateLock) {
            r = tracker.onWait(now, reason);
            nextAttemptAt = r.at();
        }
        LOG.infof("plugin %s: waiting for its node, next try in %d ms (%s)", id(), r.delay().toMillis(), reason);
        transition(EnumSet.of(PluginState.STARTING), PluginState.RESTARTING, reason, "restart");
        synchronized (stateLock) {
            count = tracker.count(now);
            reasons = tracker.status(now, null).lastReasons();
            pending = restarts.scheduler().schedule("restart-" + id(), this::attemptRestart, r.delay());
        }
        restarts.events().accept(new PluginRestartEvent(id(), PluginRestartEvent.SCHEDULED, reason,
                r.delay().toMillis(), count, tracker.policy().window().toSeconds(), reasons, now));
    }

    /** The back-off is over (or the engine is back): RESTARTING → STARTING → ACTIVE, or back to the policy. */
    private void attemptRestart() {
        ops.lock();
        try {
            if (state != PluginState.RESTARTING || closing) {
                return;
            }
            synchronized (stateLock) {
                pending = null;
            }
            try {
                synchronized (restarts.guardLock()) {
                    restarts.guard().accept(this);
                    transition(EnumSet.of(PluginState.RESTARTING), PluginState.STARTING, null, "restart");
                }
            } catch (DependencyException e) {
                // a dependency is not ACTIVE (yet): wait again without counting it against this plugin
                synchronized (stateLock) {
                    tracker.started(Instant.now());
                    tracker.ended("failed:" + e.code());
                    RestartTracker.Decision d = tracker.onFailure(Instant.now(), e.code(), null, false);
                    if (d instanceof RestartTracker.Restart r) {
                        nextAttemptAt = r.at();
                        pending = restarts.scheduler().schedule("restart-" + id(), this::attemptRestart, r.delay());
                    }
                }
                return;
            }
            restartSession();
        } finally {
            ops.unlock();
        }
    }

    private void cancelPending() {
        synchronized (stateLock) {
            if (pending != null) {
                pending.cancel();
                pending = null;
            }
        }
    }

    /**
     * Replaces the session's container with a fresh one after the plugin overran (e.g. {@code timeout}):
     * kills the old one at once (no shutdown frame, no grace: it is past its deadline), then starts the
     * replacement; actions are refused meanwhile (503 {@code restarting}); a replacement that fails to start
     * goes to the restart policy.
     */
    private void recycle(PluginSession s, String reason) {
        synchronized (stateLock) {
            if (session != s || state != PluginState.ACTIVE) {
                return;
            }
            session = null;
            replacing = true;
            transition(EnumSet.of(PluginState.ACTIVE), PluginState.STARTING, reason, "restart");
        }
        LOG.infof("plugin %s: replacing its container (%s)", id(), reason);
        Thread.ofVirtual().name("recycle-" + id()).start(() -> {
            ops.lock();
            CompletableFuture<Void> replaced = new CompletableFuture<>();
            boolean started = false;
            try {
                // past its deadline: no grace; cut off now, killed once the replacement is answered
                s.killInBackground(replaced, OLD_CONTAINER_KILL_AT_THE_LATEST);
                try {
                    launchSession();
                    started = true;
                } catch (PluginActivationException e) {
                    afterFailure(PluginState.STARTING, e.reason(), null, true);
                } catch (ContainerLaunchException e) {
                    afterFailure(PluginState.STARTING, "launch_failed", null, true);
                } catch (NodeUnavailableException e) {
                    afterWait(e.code());
                } catch (ContainerEngineException e) {
                    afterFailure(PluginState.STARTING, e.code(), null, false);
                }
            } catch (RuntimeException e) {
                LOG.warnf("plugin %s: replacing its container failed: %s", id(), e.getMessage());
            } finally {
                if (started) { // once the answer that it is ACTIVE again has left the host
                    CompletableFuture.delayedExecutor(PluginSession.ANSWER_MARGIN.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(() -> replaced.complete(null));
                } else {
                    replaced.complete(null); // a failed replacement: the old container goes now
                }
                ops.unlock();
            }
        });
    }

    /**
     * Whether a run that ends now, unasked, is followed by a restart: policy {@code on-failure}, and no operator is
     * stopping the plugin and the host is not stopping.
     */
    private boolean restartsAfterEnd() {
        PluginState now = state;
        return tracker.policy().restarts() && !closing
                && (now == PluginState.ACTIVE || now == PluginState.STARTING || now == PluginState.RESTARTING);
    }

    /** The session to run an action on, or a refusal at once: never waits for a container being replaced. */
    private PluginSession sessionForAction() {
        PluginSession s = session;
        PluginState now = state;
        if (now == PluginState.ACTIVE) {
            boolean live = s != null && s.isConnected() && !s.isEnding();
            if (!live && restartsAfterEnd()) {
                // its container just ended or is being ended (a crash, an OOM kill); the handle has not moved to
                // RESTARTING yet
                throw new PluginRestartingException("the container of plugin " + id()
                        + " ended; it is being restarted", retryAfterSeconds());
            }
            if (s != null) {
                return s;
            }
        }
        if (isRestarting()) {
            throw restartingRefusal();
        }
        if (now == PluginState.FAILED) {
            List<String> reasons;
            synchronized (stateLock) {
                reasons = tracker.status(Instant.now(), null).lastReasons();
            }
            String reason = failureReason == null ? "failed" : failureReason;
            throw new PluginFailedException(id(), reason, reasons.isEmpty() ? List.of(reason) : reasons);
        }
        throw new IllegalTransitionException(id(), now, "run an action on");
    }

    private PluginRestartingException restartingRefusal() {
        Instant next = nextAttemptAt;
        long seconds = retryAfterSeconds();
        String when = "retry in a moment";
        if (state == PluginState.RESTARTING && next != null) {
            long ms = Duration.between(Instant.now(), next).toMillis();
            seconds = Math.max(1, (ms + 999) / 1000);
            when = "its next start is in " + seconds + " s";
        }
        String why = failureReason == null ? "" : " (" + failureReason + ")";
        return new PluginRestartingException("plugin " + id() + " is being restarted" + why + "; " + when, seconds);
    }

    private void lockOrBusy(String operation) {
        if (!ops.tryLock()) {
            throw new IllegalTransitionException(id(), state, operation + " (another operation is in progress)");
        }
    }

    /** The one place the state changes. */
    private void transition(Set<PluginState> from, PluginState to, String reason, String operation) {
        PluginStateEvent event;
        synchronized (stateLock) {
            PluginState old = state;
            if (!from.contains(old) || !old.canTransitionTo(to)) {
                throw new IllegalTransitionException(id(), old, operation);
            }
            state = to;
            failureReason = to == PluginState.FAILED || to == PluginState.RESTARTING ? reason : null;
            Instant now = Instant.now();
            updatedAt = now;
            event = new PluginStateEvent(id(), old, to, reason, now);
            takePresaved();
            if (persist && to.isSettled()) {
                boolean changed = record.state() != to || !Objects.equals(record.failureReason(), failureReason);
                record = record.with(to, failureReason, now);
                if (changed) { // a replaced container (ACTIVE, STARTING, ACTIVE again) leaves the stored state as it was
                    store.save(record);
                }
            }
        }
        events.accept(event);
    }

    // ---- upgrade in place (issue 19): the only code here that replaces the manifest ----

    /** A container replaced after an overrun is killed once its replacement is answered, or by then. */
    static final Duration OLD_CONTAINER_KILL_AT_THE_LATEST = Duration.ofMillis(100);

    /** Container name suffix of the old version while the new one starts beside it. */
    static final String OLD_SUFFIX = ".old";
    /** IPC folder suffix of every other generation (an upgrade alternates between the id and this). */
    static final String NEXT_SUFFIX = ".next";

    /**
     * Replaces the code and manifest by {@code next} (same id; its code waits in {@link PluginStore#nextCodeDir}).
     * Not running: the files are swapped, the state stays. ACTIVE: the new version starts beside the old one (the
     * old container renamed {@code logomesh-<id>.old}, the new one in a second IPC folder) and runs
     * {@code initialize}/{@code activate}; only then are new actions sent to it (one assignment), the old
     * session's actions in flight finish (bounded by the old {@code maxExecutionTimeMs}), and the old version is
     * deactivated and removed. The state stays ACTIVE throughout, so no state event fires. If the new version
     * fails, the old keeps serving, the files are restored and {@link PluginUpgradeFailedException} says why.
     */
    void upgrade(PluginManifest next, Runnable onSwitch) {
        lockOrBusy("upgrade");
        try {
            PluginSession old = session;
            if (state == PluginState.ACTIVE && old != null) {
                upgradeRunning(next, old, onSwitch);
            } else if (ACTIVATABLE.contains(state)) {
                store.applyNextCode(id());
                store.finishNextCode(id());
                synchronized (stateLock) {
                    manifest = next;
                    updatedAt = Instant.now();
                }
                onSwitch.run();
            } else {
                throw new IllegalTransitionException(id(), state, "upgrade");
            }
        } finally {
            ops.unlock();
        }
    }

    private void upgradeRunning(PluginManifest next, PluginSession old, Runnable onSwitch) {
        PluginManifest before = manifest;
        String name = "logomesh-" + id();
        store.applyNextCode(id());
        try {
            old.container().rename(name + OLD_SUFFIX);
        } catch (RuntimeException e) {
            store.revertNextCode(id());
            throw new PluginUpgradeFailedException(id(), "the running container could not be renamed aside ("
                    + e.getMessage() + "); nothing changed");
        }
        String nextIpc = ipcFolder.equals(id()) ? id() + NEXT_SUFFIX : id();
        PluginSession fresh;
        try {
            fresh = launcher.launch(next, record.uid(), router, nextIpc);
            fresh.started();
        } catch (PluginHostException e) {
            renameQuietly(old, name);
            store.revertNextCode(id());
            String why = e instanceof PluginActivationException pae ? pae.reason() : e.getMessage();
            throw new PluginUpgradeFailedException(id(), "version " + next.version() + " did not start (" + why
                    + "); version " + before.version() + " keeps serving");
        }
        synchronized (stateLock) {
            if (session == old && state == PluginState.ACTIVE) {
                session = fresh;
                manifest = next;
                ipcFolder = nextIpc;
                activatedAt = Instant.now();
                updatedAt = activatedAt;
                fresh = null;
            }
        }
        if (fresh != null) { // the old container ended or was replaced meanwhile: nothing switched
            fresh.kill();
            renameQuietly(old, name);
            store.revertNextCode(id());
            throw new PluginUpgradeFailedException(id(), "the running version ended while version " + next.version()
                    + " started; nothing changed");
        }
        store.finishNextCode(id());
        LOG.infof("plugin %s: version %s serves; ending version %s", id(), next.version(), before.version());
        try {
            onSwitch.run();
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: after the switch: %s", id(), e.getMessage());
        }
        endReplaced(old, before);
    }

    /** Lets the replaced session finish its actions in flight (each within its own deadline), then ends it. */
    private void endReplaced(PluginSession old, PluginManifest before) {
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(before.resources().maxExecutionTimeMs() + 1000);
        while (old.inFlight() > 0 && old.isConnected() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (callQuietly(old, "deactivate")) {
            old.end(config.lifecycle().stopGrace());
        } else {
            old.kill();
        }
    }

    private void renameQuietly(PluginSession s, String name) {
        try {
            s.container().rename(name);
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: cannot give its container its name back: %s", id(), e.getMessage());
        }
    }

    /** The IPC folders this plugin may have used (both generations), for an uninstall to delete. */
    static java.util.List<String> ipcFolders(String id) {
        return java.util.List.of(id, id + NEXT_SUFFIX);
    }

    private static long elapsedMs(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
