package io.logomesh.host.plugin;

import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The clocks of one container's actions, and when they run out ({@code maxExecutionTimeMs}). An action's
 * clock starts when it is dispatched or, when actions dispatched before it are still inside the plugin, when
 * the last of those has ended: a plugin that runs its actions one after another (synchronous code on one
 * event loop) starts a queued action only then, and a burst must not read as an overrun. Only the oldest
 * action in flight is timed; when it ends, the next one's clock starts. An action that outlives its limit
 * fails with {@link TimeoutException} (the caller then replaces the container). For a plugin that runs its
 * actions at once, an action may so run past its own limit by what the actions ahead of it took, at most
 * the limit once for each of them ({@code maxConcurrency} bounds how many there are).
 */
final class ActionClock {

    /** Runs a task after a delay; the returned runnable cancels it. */
    @FunctionalInterface
    interface Timer {
        Runnable schedule(Runnable task, long delayNanos);
    }

    /** One daemon thread for the clocks of every container. */
    static final Timer SHARED = sharedTimer();

    private final Timer timer;
    private final TreeMap<Long, Timed> inFlight = new TreeMap<>();
    private long nextSeq;

    private static final class Timed {
        final long seq;
        final long limitNanos;
        final CompletableFuture<?> future;
        volatile Runnable cancel;

        Timed(long seq, long limitNanos, CompletableFuture<?> future) {
            this.seq = seq;
            this.limitNanos = limitNanos;
            this.future = future;
        }
    }

    ActionClock(Timer timer) {
        this.timer = timer;
    }

    /**
     * Dispatches an action ({@code dispatch} queues its frame and returns the future of its answer) and times
     * it against {@code limitNanos}; returns that future, which fails with {@link TimeoutException} when the
     * clock runs out first. Dispatching happens under the clock's lock, so the frames leave in the order of the
     * clocks (the plugin sees the oldest first); {@code dispatch} must not block.
     */
    <T> CompletableFuture<T> dispatch(Supplier<CompletableFuture<T>> dispatch, long limitNanos) {
        Timed timed;
        boolean first;
        CompletableFuture<T> future;
        synchronized (this) {
            future = dispatch.get();
            timed = new Timed(nextSeq++, limitNanos, future);
            first = inFlight.isEmpty();
            inFlight.put(timed.seq, timed);
        }
        if (first) {
            arm(timed);
        }
        future.whenComplete((r, e) -> ended(timed));
        return future;
    }

    /** Actions timed and not ended. */
    synchronized int inFlight() {
        return inFlight.size();
    }

    private void ended(Timed timed) {
        Timed next = null;
        synchronized (this) {
            Long head = inFlight.isEmpty() ? null : inFlight.firstKey();
            inFlight.remove(timed.seq);
            if (head != null && head == timed.seq && !inFlight.isEmpty()) {
                next = inFlight.firstEntry().getValue();
            }
        }
        Runnable cancel = timed.cancel;
        if (cancel != null) {
            cancel.run();
        }
        if (next != null) {
            arm(next);
        }
    }

    /** Starts the clock of the oldest action in flight (it has just become the oldest). */
    private void arm(Timed timed) {
        timed.cancel = timer.schedule(() -> expire(timed), timed.limitNanos);
        if (timed.future.isDone()) {
            timed.cancel.run();
        }
    }

    private static Timer sharedTimer() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "action-clock");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return (task, delayNanos) -> {
            ScheduledFuture<?> scheduled = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> scheduled.cancel(false);
        };
    }

    private void expire(Timed timed) {
        synchronized (this) {
            if (timed.future.isDone() || inFlight.get(timed.seq) != timed) {
                return;
            }
        }
        timed.future.completeExceptionally(new TimeoutException("the action outlived its limit"));
    }
}
