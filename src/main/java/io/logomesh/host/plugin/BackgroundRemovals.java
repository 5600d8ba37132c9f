package io.logomesh.host.plugin;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Container kills and removals the host runs in the background (a container past its deadline is killed without
 * holding up its replacement). The host's shutdown waits for them, bounded, so that a stop does not leave a
 * killed container behind on the engine.
 */
final class BackgroundRemovals {

    private static final Set<Thread> RUNNING = ConcurrentHashMap.newKeySet();

    private BackgroundRemovals() {
    }

    /** Runs {@code work} on a virtual thread named {@code name}, tracked until it ends. */
    static void start(String name, Runnable work) {
        Thread t = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                work.run();
            } finally {
                RUNNING.remove(Thread.currentThread());
            }
        });
        RUNNING.add(t);
        t.start();
    }

    /** Waits until every started removal has ended, or {@code bound} has passed. */
    static void awaitAll(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        for (Thread t : Set.copyOf(RUNNING)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
