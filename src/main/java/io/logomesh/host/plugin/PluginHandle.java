package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.ipc.IpcClosedException;
import io.logomesh.host.ipc.PluginCallException;
import io.logomesh.host.manifest.PluginManifest;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One installed plugin and its lifecycle: the only place its state changes
 * ({@link #transition}), guarded by the transitions drawn in {@link PluginState}.
 * Lifecycle operations run one at a time (a second one meanwhile is refused as busy);
 * actions run concurrently on the current session.
 */
public final class PluginHandle {

    private static final Logger LOG = Logger.getLogger(PluginHandle.class);
    private static final Set<PluginState> ACTIVATABLE = EnumSet.of(PluginState.INSTALLED, PluginState.INACTIVE,
            PluginState.FAILED);
    private static final Runnable NO_GUARD = () -> { };

    private final PluginManifest manifest;
    private final SessionLauncher launcher;
    private final PluginStore store;
    private final HostConfig config;
    private final Consumer<PluginStateEvent> events;
    private final PluginRequestRouter router;
    private final ReentrantLock ops = new ReentrantLock();
    private final Object stateLock = new Object();

    private PluginRecord record;
    private volatile PluginState state;
    private volatile String failureReason;
    private volatile PluginSession session;
    private volatile CompletableFuture<Void> restarting;
    private volatile Instant activatedAt;
    private volatile Instant updatedAt;
    private volatile boolean persist = true;

    PluginHandle(PluginManifest manifest, PluginRecord record, SessionLauncher launcher, PluginStore store,
                 HostConfig config, Consumer<PluginStateEvent> events, HostCalls calls) {
        this.manifest = manifest;
        this.record = record;
        this.state = record.state();
        this.failureReason = record.failureReason();
        this.updatedAt = record.updatedAt();
        this.launcher = launcher;
        this.store = store;
        this.config = config;
        this.events = events;
        this.router = new PluginRequestRouter(this, calls);
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
                    s == null ? record.uid() : s.uid(), manifest.raw(), record.installedAt(), updatedAt, activatedAt);
        }
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
            }
            startSession();
        } finally {
            ops.unlock();
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
            if (state == PluginState.ACTIVE) {
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
     * action outlives {@code maxExecutionTimeMs}, counted from this call (the container is then replaced);
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
        return s.call("execute", params).orTimeout(limitMs, TimeUnit.MILLISECONDS)
                .handle((result, error) -> {
                    if (error == null) {
                        return ActionResult.ok(result, elapsedMs(t0));
                    }
                    Throwable cause = unwrap(error);
                    if (cause instanceof PluginCallException pce) {
                        String text = "plugin_error".equals(pce.code()) ? pce.getMessage()
                                : pce.code() + ": " + pce.getMessage();
                        return ActionResult.failed(text, elapsedMs(t0));
                    }
                    throw actionFailure(s, action, limitMs, cause);
                });
    }

    /**
     * Refuses at once, by throwing, when the plugin cannot take an action now: {@link PluginRestartingException}
     * while its container is being replaced, {@link IllegalTransitionException} when it is not ACTIVE.
     */
    public void requireAcceptingActions() {
        sessionForAction();
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
            if (s.isEnding() && restarting != null) {
                return new PluginRestartingException("the container of plugin " + id()
                        + " was replaced while the action ran (another action overran its limit)", retryAfterSeconds());
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
     * Gives the running container a network or takes it away (a runtime {@code network} grant);
     * false when no container runs. Container lifecycle stays here; the engine call is the container's.
     */
    public boolean setNetworkAccess(boolean enabled) {
        PluginSession s = session;
        if (s == null) {
            return false;
        }
        s.container().setNetworkAccess(enabled);
        return true;
    }

    /**
     * Ends a running plugin because the host must (e.g. a critical resource violation): stops its container
     * (SIGTERM, SIGKILL after the grace) and goes ACTIVE → FAILED with {@code reason} (e.g. {@code oom},
     * {@code memory_limit}). Waits for a lifecycle operation in progress first.
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
            s.end(config.lifecycle().stopGrace());
            session = null;
            transition(EnumSet.of(PluginState.ACTIVE), PluginState.FAILED, reason, "terminate");
            return true;
        } finally {
            ops.unlock();
        }
    }

    /** The host is stopping: end the session without recording a state change (it is started again next time). */
    void shutdown() {
        persist = false;
        PluginSession s = session;
        if (s != null) {
            s.end(config.lifecycle().stopGrace());
        }
    }

    /** The runtime's connection closed; if nobody asked for it, the plugin FAILED. */
    void onConnectionClosed() {
        PluginSession s = session;
        if (s == null || s.isEnding() || s.isConnected()) {
            return;
        }
        Thread.ofVirtual().name("ended-" + id()).start(() -> {
            ops.lock();
            try {
                if (session != s || s.isEnding()) {
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
                transition(EnumSet.of(PluginState.ACTIVE), PluginState.FAILED, why, "fail");
            } finally {
                ops.unlock();
            }
        });
    }

    PluginRequestRouter router() {
        return router;
    }

    private void stop(boolean dispose, Runnable guard, Object guardLock) {
        synchronized (guardLock) {
            guard.run();
            transition(EnumSet.of(PluginState.ACTIVE), PluginState.STOPPING, null, "deactivate");
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

    private void startSession() {
        try {
            session = launcher.launch(manifest, record.uid(), router);
            activatedAt = Instant.now();
            transition(EnumSet.of(PluginState.STARTING), PluginState.ACTIVE, null, "activate");
        } catch (PluginActivationException e) {
            transition(EnumSet.of(PluginState.STARTING), PluginState.FAILED, e.reason(), "fail");
            throw e;
        } catch (ContainerLaunchException e) {
            transition(EnumSet.of(PluginState.STARTING), PluginState.FAILED, "launch_failed", "fail");
            throw e;
        } catch (ContainerEngineException e) {
            transition(EnumSet.of(PluginState.STARTING), PluginState.FAILED, e.code(), "fail");
            throw e;
        }
    }

    /**
     * Replaces the session's container with a fresh one after the plugin overran (e.g. {@code timeout}):
     * kills the old one at once (no shutdown frame, no grace: it is past its deadline), then starts the
     * replacement; actions are refused meanwhile (503 {@code restarting}).
     */
    private void recycle(PluginSession s, String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (stateLock) {
            if (session != s || state != PluginState.ACTIVE) {
                return;
            }
            session = null;
            restarting = done;
            transition(EnumSet.of(PluginState.ACTIVE), PluginState.STARTING, reason, "restart");
        }
        LOG.infof("plugin %s: replacing its container (%s)", id(), reason);
        Thread.ofVirtual().name("recycle-" + id()).start(() -> {
            ops.lock();
            try {
                s.killInBackground(); // past its deadline: no grace, and the replacement need not wait for the engine
                startSession();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            } finally {
                restarting = null;
                ops.unlock();
            }
        });
    }

    /** The session to run an action on, or a refusal at once: never waits for a container being replaced. */
    private PluginSession sessionForAction() {
        PluginSession s = session;
        if (state == PluginState.ACTIVE && s != null) {
            return s;
        }
        if (restarting != null) {
            throw new PluginRestartingException("the container of plugin " + id()
                    + " is being replaced; retry in a moment", retryAfterSeconds());
        }
        throw new IllegalTransitionException(id(), state, "run an action on");
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
            failureReason = to == PluginState.FAILED ? reason : null;
            Instant now = Instant.now();
            updatedAt = now;
            event = new PluginStateEvent(id(), old, to, reason, now);
            if (persist && to.isSettled()) {
                record = record.with(to, failureReason, now);
                store.save(record);
            }
        }
        events.accept(event);
    }

    private static long elapsedMs(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
