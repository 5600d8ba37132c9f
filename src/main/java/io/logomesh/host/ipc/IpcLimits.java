package io.logomesh.host.ipc;

import java.time.Duration;

/**
 * The bounds of one plugin connection (SECURITY.md, "IPC").
 *
 * @param maxFrameBytes largest frame payload in either direction
 * @param outboxBytes bytes queued for the plugin (not yet written to its socket) past which a new
 *        frame is refused with {@link IpcBackpressureException}; at least {@code maxFrameBytes}
 * @param outboxFrames frames queued for the plugin past which a new frame is refused
 * @param writeTimeout how long one write to the plugin's socket may stay unfinished before the
 *        connection is cut off ({@link PluginChannel#REASON_STOPPED_READING})
 * @param maxInFlightRequests plugin → host requests served at once per connection; past it a request
 *        is answered at once with error {@code busy}
 * @param notificationTimeout how long the reader waits for room in the full notification queue before
 *        it cuts the connection off
 */
public record IpcLimits(int maxFrameBytes, long outboxBytes, int outboxFrames, Duration writeTimeout,
                        int maxInFlightRequests, Duration notificationTimeout) {

    /** Default outbox bound: eight frames of the default 1 MiB cap. */
    public static final long DEFAULT_OUTBOX_BYTES = 8L * 1024 * 1024;
    /** Default outbox frame bound. */
    public static final int DEFAULT_OUTBOX_FRAMES = 4096;
    /** Default write deadline. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);
    /** Default cap of plugin → host requests in flight per connection. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;

    /**
     * The limits the host's configuration sets for every plugin connection (the outbox holds at least one
     * frame of the largest size).
     */
    public static IpcLimits of(int maxFrameBytes, long outboxBytes, int outboxFrames, Duration writeTimeout,
                               int maxInFlightRequests, Duration notificationTimeout) {
        return new IpcLimits(maxFrameBytes, Math.max(outboxBytes, maxFrameBytes + 4L), outboxFrames, writeTimeout,
                maxInFlightRequests, notificationTimeout);
    }

    public IpcLimits {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        if (outboxBytes < maxFrameBytes + 4L || outboxFrames < 1 || maxInFlightRequests < 1) {
            throw new IllegalArgumentException("the outbox must hold at least one largest frame and the caps must be"
                    + " positive");
        }
        if (writeTimeout.isNegative() || writeTimeout.isZero() || notificationTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The defaults with the given frame cap (the outbox grows to hold at least two largest frames). */
    public static IpcLimits withFrameCap(int maxFrameBytes) {
        long outbox = Math.max(DEFAULT_OUTBOX_BYTES, 2L * (maxFrameBytes + 4L));
        return new IpcLimits(maxFrameBytes, outbox, DEFAULT_OUTBOX_FRAMES, DEFAULT_WRITE_TIMEOUT,
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_WRITE_TIMEOUT);
    }
}
