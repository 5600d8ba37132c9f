package io.logomesh.host.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The writing half of one plugin connection: a bounded {@link Outbox} and the one virtual thread
 * ({@code ipc-write-<id>}) that drains it, gathering every frame queued since its last wakeup
 * (up to {@value #MAX_BATCH_FRAMES} frames / 1 MiB) into one write. Offering never blocks. A failed
 * write reports its reason to the connection, which closes; {@link #writingSince()} lets the
 * {@link WriteWatchdog} see a write that does not finish.
 */
final class FrameWriter {

    private static final Logger LOG = Logger.getLogger(FrameWriter.class);
    private static final int MAX_BATCH_FRAMES = 256;
    private static final long MAX_BATCH_BYTES = 1L << 20;

    private final String pluginId;
    private final SocketChannel socket;
    private final Outbox outbox;
    private final Consumer<String> onFailure;
    private final Thread thread;
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile long writeStartedNanos;
    private volatile boolean stopped;

    FrameWriter(String pluginId, SocketChannel socket, IpcLimits limits, Consumer<String> onFailure) {
        this.pluginId = pluginId;
        this.socket = socket;
        this.outbox = new Outbox(limits.outboxBytes(), limits.outboxFrames());
        this.onFailure = onFailure;
        this.thread = Thread.ofVirtual().name("ipc-write-" + pluginId).unstarted(this::writeLoop);
    }

    void start() {
        thread.start();
    }

    /** Queues a frame within the outbox bounds; false (counted, nothing queued) past them. */
    boolean offer(ByteBuffer frame) {
        if (!outbox.offer(frame)) {
            refused.incrementAndGet();
            return false;
        }
        LockSupport.unpark(thread);
        return true;
    }

    /** Queues a frame past the bounds (its number is capped elsewhere). */
    void force(ByteBuffer frame) {
        outbox.force(frame);
        LockSupport.unpark(thread);
    }

    /** Drops what is queued and lets the thread end (the socket is closed by the connection). */
    void stop() {
        stopped = true;
        outbox.clear();
        LockSupport.unpark(thread);
    }

    /** Nothing queued and nothing being written. */
    boolean isEmpty() {
        return outbox.isEmpty();
    }

    long queuedBytes() {
        return outbox.bytes();
    }

    long framesOut() {
        return framesOut.get();
    }

    long refused() {
        return refused.get();
    }

    /** When the current write started ({@link System#nanoTime()}), or 0 when none is under way. */
    long writingSince() {
        return writeStartedNanos;
    }

    private void writeLoop() {
        ByteBuffer[] batch = new ByteBuffer[MAX_BATCH_FRAMES];
        try {
            while (!stopped) {
                int n = outbox.drainTo(batch, MAX_BATCH_BYTES);
                if (n == 0) {
                    LockSupport.park(this);
                    continue;
                }
                long size = 0;
                for (int i = 0; i < n; i++) {
                    size += batch[i].remaining();
                }
                writeStartedNanos = System.nanoTime();
                long left = size;
                while (left > 0) {
                    left -= socket.write(batch, 0, n);
                }
                writeStartedNanos = 0;
                framesOut.addAndGet(n);
                outbox.release(n, size);
                Arrays.fill(batch, 0, n, null);
            }
        } catch (IOException e) {
            onFailure.accept("write failed: " + e.getMessage()); // ignored when the connection closed first
        } catch (RuntimeException e) {
            LOG.errorf(e, "plugin %s: IPC writer failed", pluginId);
            onFailure.accept("internal error");
        } finally {
            writeStartedNanos = 0;
        }
    }
}
