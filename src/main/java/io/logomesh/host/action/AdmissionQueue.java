package io.logomesh.host.action;

import io.logomesh.host.plugin.PluginBusyException;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Admission control of one plugin's actions, without blocking anybody:
 * <ul>
 *   <li>at most {@code maxRunning} {@link Slot}s are held at once (the actions dispatched to the plugin);</li>
 *   <li>at most {@code maxWaiting} callers wait for a slot, first come first served;</li>
 *   <li>a caller beyond that, or one whose estimated wait (its place in the queue times the mean time a
 *       slot was held lately, divided by {@code maxRunning}) exceeds its {@code maxWait}, is refused at once
 *       with {@link PluginBusyException};</li>
 *   <li>a waiter still waiting after {@code maxWait} is refused then (its future fails with
 *       {@link PluginBusyException}); it never gets a slot afterwards.</li>
 * </ul>
 * {@link #acquire} returns a completed future when a slot is free; otherwise the future completes on the
 * thread that releases a slot (or on the timer's thread when it expires).
 */
public final class AdmissionQueue {

    /** Runs a task once after a delay; the returned runnable cancels it. */
    @FunctionalInterface
    public interface Timer {
        Runnable schedule(Runnable task, long delayNanos);
    }

    /** Weight of the newest hold time in the moving mean (1/8). */
    private static final int EWMA_SHIFT = 3;

    private final int maxRunning;
    private final int maxWaiting;
    private final long retryAfterSeconds;
    private final Timer timer;
    private final LongSupplier clock;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int running;
    /** Mean time a slot was held lately, in nanoseconds (0 until the first release). */
    private long meanHoldNanos;

    public AdmissionQueue(int maxRunning, int maxWaiting, long retryAfterSeconds, Timer timer, LongSupplier clock) {
        if (maxRunning < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("maxRunning must be at least 1 and maxWaiting at least 0");
        }
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
        this.retryAfterSeconds = retryAfterSeconds;
        this.timer = timer;
        this.clock = clock;
    }

    /** One dispatched action's place; {@link #release()} gives it to the next waiter (idempotent). */
    public final class Slot {
        private final AtomicBoolean released = new AtomicBoolean();
        private final long since = clock.getAsLong();
        private final long waitedNanos;

        private Slot(long waitedNanos) {
            this.waitedNanos = waitedNanos;
        }

        /** How long the caller waited for this slot, in nanoseconds (0 when one was free). */
        public long waitedNanos() {
            return waitedNanos;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                AdmissionQueue.this.release(clock.getAsLong() - since);
            }
        }
    }

    private final class Waiter {
        final CompletableFuture<Slot> future = new CompletableFuture<>();
        final long since = clock.getAsLong();
        volatile Runnable cancelTimer;
    }

    /**
     * A slot now (completed future), a place in the queue (a future completed when a slot frees, or failed
     * with {@link PluginBusyException} after {@code maxWaitNanos}), or {@link PluginBusyException} at once.
     */
    public CompletableFuture<Slot> acquire(long maxWaitNanos) {
        Waiter waiter;
        synchronized (this) {
            if (running < maxRunning && waiters.isEmpty()) {
                running++;
                return CompletableFuture.completedFuture(new Slot(0));
            }
            if (waiters.size() >= maxWaiting) {
                throw new PluginBusyException(maxRunning + " action(s) run and " + waiters.size()
                        + " wait already; the plugin's admission queue is full", retryAfterSeconds);
            }
            long expected = (waiters.size() + 1) * meanHoldNanos / maxRunning;
            if (expected > maxWaitNanos) {
                throw new PluginBusyException("the action could not start within "
                        + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms (about "
                        + TimeUnit.NANOSECONDS.toMillis(expected) + " ms of work is ahead of it)", retryAfterSeconds);
            }
            waiter = new Waiter();
            waiters.add(waiter);
        }
        Runnable cancel = timer.schedule(() -> expire(waiter, maxWaitNanos), maxWaitNanos);
        waiter.cancelTimer = cancel;
        if (waiter.future.isDone()) {
            cancel.run();
        }
        return waiter.future;
    }

    /** Slots held now. */
    public synchronized int running() {
        return running;
    }

    /** Callers waiting now. */
    public synchronized int waiting() {
        return waiters.size();
    }

    /** Mean time a slot was held lately, in nanoseconds. */
    public synchronized long meanHoldNanos() {
        return meanHoldNanos;
    }

    private void release(long heldNanos) {
        Waiter next;
        synchronized (this) {
            meanHoldNanos = meanHoldNanos == 0 ? heldNanos
                    : meanHoldNanos + ((heldNanos - meanHoldNanos) >> EWMA_SHIFT);
            next = waiters.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            Runnable cancel = next.cancelTimer;
            if (cancel != null) {
                cancel.run();
            }
            next.future.complete(new Slot(clock.getAsLong() - next.since));
        }
    }

    private void expire(Waiter waiter, long maxWaitNanos) {
        synchronized (this) {
            if (!waiters.remove(waiter)) {
                return; // it got a slot meanwhile
            }
        }
        waiter.future.completeExceptionally(new PluginBusyException("the action could not start within "
                + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms; " + maxRunning
                + " action(s) of the plugin still run", retryAfterSeconds));
    }
}
