package io.logomesh.host.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.monitor.PluginMetrics;
import io.logomesh.host.plugin.ActionRequest;
import io.logomesh.host.plugin.ActionResult;
import io.logomesh.host.plugin.ActionTimeoutException;
import io.logomesh.host.plugin.PluginBusyException;
import io.logomesh.host.plugin.PluginHandle;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginRestartingException;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import io.logomesh.host.plugin.PluginUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The one home of an action's path: validate the request → {@link ActionGuard} (declared type, payload
 * schema, required permissions) → admission ({@link AdmissionQueue}: at most the manifest's
 * {@code maxConcurrency} run inside the plugin, a bounded number wait in the host, the rest are refused at
 * once with 429 {@code busy}; 503 {@code restarting} while the container is replaced) → dispatch
 * ({@link PluginHandle#execute}, where {@code maxExecutionTimeMs} starts) → metrics → audit
 * ({@link ActionAuditor}, every action that passed the guard, refused or not).
 *
 * <p>Nothing here blocks: the returned stage completes on the thread that completes the plugin's answer
 * (or refuses the action). An action that waited in the queue is dispatched on a virtual thread.
 */
@ApplicationScoped
public class ActionService {

    /** Longest accepted action type. */
    public static final int MAX_TYPE_LENGTH = 200;
    /** Longest accepted caller-chosen action id. */
    public static final int MAX_ID_LENGTH = 200;

    private final PluginManager plugins;
    private final ActionGuard guard;
    private final ActionAuditor auditor;
    private final PluginMetrics metrics;
    private final HostConfig config;
    private final Map<String, Admission> admissions = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final Executor dispatcher = task -> Thread.ofVirtual().name("action-dispatch").start(task);

    /** One plugin's queue, bound to the handle it was made for (a reinstalled plugin gets a new one). */
    private record Admission(PluginHandle handle, AdmissionQueue queue) {
    }

    @Inject
    public ActionService(PluginManager plugins, ActionGuard guard, ActionAuditor auditor, PluginMetrics metrics,
                         HostConfig config) {
        this.plugins = plugins;
        this.guard = guard;
        this.auditor = auditor;
        this.metrics = metrics;
        this.config = config;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "action-admission-timer");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs an action of plugin {@code pluginId} for {@code caller} ({@code operator} or {@code plugin:<id>}).
     * Refusals before admission are thrown ({@link ActionInvalidException} 400, not found 404,
     * {@link ActionRefusedException} 400/403, not ACTIVE 409, {@link PluginRestartingException} 503,
     * {@link PluginBusyException} 429); the stage fails with the {@link PluginHostException} of a later
     * failure, never wrapped.
     */
    public CompletionStage<ActionResult> run(String pluginId, String type, JsonNode payload, String id, String caller) {
        ActionRequest action = request(type, payload, id);
        PluginHandle handle = plugins.get(pluginId);
        guard.check(handle, action);
        long t0 = System.nanoTime();
        CompletableFuture<AdmissionQueue.Slot> slot;
        try {
            handle.requireAcceptingActions();
            long maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(Math.min(config.actions().queueTimeout().toMillis(),
                    handle.manifest().resources().maxExecutionTimeMs()));
            slot = admissionOf(handle).acquire(maxWaitNanos);
        } catch (PluginHostException e) {
            refused(handle, caller, action, t0, e);
            throw e;
        }
        CompletableFuture<ActionResult> answer = new CompletableFuture<>();
        if (slot.isDone() && !slot.isCompletedExceptionally()) {
            dispatch(handle, caller, action, slot.join(), t0, answer);
        } else {
            slot.whenCompleteAsync((granted, error) -> {
                if (error != null) {
                    refused(handle, caller, action, t0, unwrap(error));
                    answer.completeExceptionally(unwrap(error));
                } else {
                    dispatch(handle, caller, action, granted, t0, answer);
                }
            }, dispatcher);
        }
        return answer;
    }

    /** Checks the request's shape and gives it an id (a random UUID unless the caller chose one). */
    static ActionRequest request(String type, JsonNode payload, String id) {
        if (type == null || type.isBlank()) {
            throw new ActionInvalidException("an action needs a non-empty \"type\"");
        }
        if (type.length() > MAX_TYPE_LENGTH) {
            throw new ActionInvalidException("action type is longer than " + MAX_TYPE_LENGTH + " characters");
        }
        if (id != null && id.length() > MAX_ID_LENGTH) {
            throw new ActionInvalidException("action id is longer than " + MAX_ID_LENGTH + " characters");
        }
        String actionId = id == null || id.isBlank() ? newActionId() : id;
        return new ActionRequest(actionId, type, payload);
    }

    /**
     * A random (version 4) UUID for an action the caller did not name. From {@link ThreadLocalRandom}, not
     * {@link UUID#randomUUID()}: an action id names a call in the audit trail and is no secret, and the
     * secure generator reads the kernel under a lock on every call.
     */
    static String newActionId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }

    private void dispatch(PluginHandle handle, String caller, ActionRequest action, AdmissionQueue.Slot slot,
                          long t0, CompletableFuture<ActionResult> answer) {
        CompletableFuture<ActionResult> running;
        try {
            running = handle.execute(action);
        } catch (PluginHostException e) {
            slot.release();
            refused(handle, caller, action, t0, e);
            answer.completeExceptionally(e);
            return;
        }
        running.whenComplete((result, error) -> {
            slot.release();
            if (error == null) {
                metrics.action(handle.id(), result.success() ? "ok" : "failed", System.nanoTime() - t0);
                auditor.completed(handle.id(), handle.manifest().auditLevel(), caller, action, result,
                        TimeUnit.NANOSECONDS.toMillis(slot.waitedNanos()));
                answer.complete(result);
            } else {
                PluginHostException failure = unwrap(error);
                refused(handle, caller, action, t0, failure);
                answer.completeExceptionally(failure);
            }
        });
    }

    private void refused(PluginHandle handle, String caller, ActionRequest action, long t0, PluginHostException e) {
        long nanos = System.nanoTime() - t0;
        if (e instanceof PluginBusyException || e instanceof PluginRestartingException) {
            metrics.refused(handle.id(), e.code());
        } else {
            metrics.action(handle.id(), e instanceof ActionTimeoutException ? "timeout" : "error", nanos);
        }
        auditor.refused(handle.id(), handle.manifest().auditLevel(), caller, action,
                TimeUnit.NANOSECONDS.toMillis(nanos), e);
    }

    private AdmissionQueue admissionOf(PluginHandle handle) {
        Admission admission = admissions.get(handle.id());
        if (admission != null && admission.handle() == handle) {
            return admission.queue();
        }
        return admissions.compute(handle.id(), (id, current) -> {
            if (current != null && current.handle() == handle) {
                return current;
            }
            AdmissionQueue queue = new AdmissionQueue(
                    handle.manifest().resources().maxConcurrencyFor(handle.manifest().runtime()),
                    config.actions().queuePerPlugin(), Math.max(1, config.actions().retryAfter().toSeconds()),
                    (task, delayNanos) -> {
                        var scheduled = timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
                        return () -> scheduled.cancel(false);
                    }, System::nanoTime);
            metrics.admission(id, queue::running, queue::waiting);
            return new Admission(handle, queue);
        }).queue();
    }

    void onState(@Observes PluginStateEvent event) {
        if (event.to() == PluginState.UNINSTALLED) {
            admissions.remove(event.pluginId());
        }
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }

    private static PluginHostException unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof PluginHostException e) {
            return e;
        }
        return new PluginUnavailableException("the action failed in the host: " + cause.getMessage());
    }
}
