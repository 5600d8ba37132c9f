package io.logomesh.host.plugin.restart;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs restarts when their back-off is over: one timer thread only counts time; each restart runs on a
 * virtual thread of its own, so a slow start never delays another plugin's.
 */
@ApplicationScoped
public class RestartScheduler {

    private final ScheduledThreadPoolExecutor timer;

    public RestartScheduler() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "restart-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} on a fresh virtual thread after {@code delay}; cancel with the returned handle. */
    public Cancellable schedule(String name, Runnable task, Duration delay) {
        ScheduledFuture<?> f = timer.schedule(() -> Thread.ofVirtual().name(name).start(task),
                Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }

    /** A scheduled restart that may still be called off. */
    @FunctionalInterface
    public interface Cancellable {
        /** Calls it off if it has not begun. */
        void cancel();
    }
}
