package io.logomesh.host.container;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Engine bookkeeping held back while a start is on its activation path: a prewarmed cell's rename and the
 * engine's copy of the limits already in force in its cgroup files. Both make the engine write the container's
 * record to disk and cost the host CPU; run during the start they slowed it by a third on a two-core machine.
 * Tasks given to {@link #execute} wait until {@link #release()} (the start has been answered) and then run, in
 * the order given, on a virtual thread; at the latest {@link #AT_THE_LATEST} after this was made, so that
 * nothing waits on a start that never reports. After {@link #abandon()} (the start failed and its container
 * goes), the tasks run too (a waiting engine update must end), but {@link #ifStarted} ones are skipped.
 */
public final class AfterStart implements Executor {

    /** The held tasks run by then even if nobody released them. */
    public static final Duration AT_THE_LATEST = Duration.ofSeconds(1);

    private final List<Runnable> held = new ArrayList<>();
    private boolean open;
    private volatile boolean abandoned;

    public AfterStart() {
        releaseAfter(AT_THE_LATEST);
    }

    /** Runs {@code task} once released (at once, on a virtual thread, if it already is). */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (!open) {
                held.add(task);
                return;
            }
        }
        Thread.ofVirtual().name("after-start").start(task);
    }

    /** Like {@link #execute}, but skipped when the start was {@link #abandon() abandoned}. */
    public void ifStarted(Runnable task) {
        execute(() -> {
            if (!abandoned) {
                task.run();
            }
        });
    }

    /** The start has been answered: the held tasks run now. Idempotent. */
    public void release() {
        List<Runnable> now;
        synchronized (this) {
            if (open) {
                return;
            }
            open = true;
            now = List.copyOf(held);
            held.clear();
        }
        if (!now.isEmpty()) {
            Thread.ofVirtual().name("after-start").start(() -> now.forEach(Runnable::run));
        }
    }

    /**
     * The start has been answered inside the host: the held tasks run {@code margin} later, once the caller's
     * answer has left (an engine call started at once competes with it for the host's CPU). Idempotent.
     */
    public void releaseAfter(Duration margin) {
        Thread.ofVirtual().name("after-start-timer").start(() -> {
            try {
                Thread.sleep(margin);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release();
        });
    }

    /** The start failed: the held tasks run now, but not the {@link #ifStarted} ones. */
    public void abandon() {
        abandoned = true;
        release();
    }
}
