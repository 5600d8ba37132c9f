package io.logomesh.host.ipc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the write deadline of every open plugin connection: one daemon thread looks at each
 * connection every {@value #TICK_MILLIS} ms and cuts off one whose current write has been unfinished
 * for longer than its {@link IpcLimits#writeTimeout()} (closing the socket also ends the blocked write).
 */
final class WriteWatchdog {

    static final long TICK_MILLIS = 100;

    private static final Set<PluginChannel> CHANNELS = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ipc-write-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    static {
        TIMER.scheduleWithFixedDelay(WriteWatchdog::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private WriteWatchdog() {
    }

    static void watch(PluginChannel channel) {
        CHANNELS.add(channel);
    }

    static void forget(PluginChannel channel) {
        CHANNELS.remove(channel);
    }

    private static void tick() {
        long now = System.nanoTime();
        for (PluginChannel channel : CHANNELS) {
            try {
                channel.checkWriteDeadline(now);
            } catch (RuntimeException e) {
                // a failing check must not stop the others; the channel closes itself on its own errors
            }
        }
    }
}
