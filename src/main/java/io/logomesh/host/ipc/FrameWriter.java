package io.logomesh.host.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The writing half of one plugin connection: a bounded {@link Outbox} and the one virtual thread
 * ({@code ipc-write-<id>}) that drains it, gathering every frame queued since its last wakeup
 * (up to {@value #MAX_BATCH_FRAMES} frames / 1 MiB) into one write. Offering does not block (a frame written at
 * once can wait, at worst, until the write deadline cuts off a plugin that lied about what it read). A failed
 * write reports its reason to the connection, which closes; {@link #writingSince()} lets the
 * {@link WriteWatchdog} see a write that does not finish.
 *
 * <p><b>Written at once.</b> When nothing is queued or being written and the plugin has provably read all but a
 * little of what was sent, the offering thread writes the frame itself: no hop to the writer thread (on an idle
 * machine a hop costs 0.2–0.5 ms, the larger part of a small request's trip). Such a write does not block: the
 * plugin's answer to a request proves it has read the stream up to that request ({@link #peerRead}), so the bytes
 * that may still sit unread in the socket are known, and the direct path is taken only while they, with the
 * frame, stay within {@link #directAllowance} (a quarter of the socket's send buffer, each frame weighed at twice
 * its size plus 1 KiB for the kernel's own overhead). Past that (a plugin that answers nothing, or has stopped
 * reading) frames queue for the writer thread as before. The connection asks for it only while the host is quiet
 * ({@code PluginChannel}): under load, frames written at once cost host and plugins more CPU per frame than the
 * writer thread's. The proof trusts that an answer's id was read from its request; a plugin that answers ids it
 * predicted without reading could make a direct write block, so such a write is watched like the writer thread's
 * ({@link #writingSince()}): past the write deadline the plugin is cut off, which ends the write.
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
    private final AtomicLong writtenAtOnce = new AtomicLong();
    private volatile long writeStartedNanos;
    private volatile boolean stopped;
    /** Frames enter the stream's order (written at once, or queued) one at a time, under this. */
    private final Object order = new Object();
    /** The weight of every frame accepted so far (see {@link #weight}); guarded by {@link #order}. */
    private long accepted;
    /** The mark up to which the plugin has provably read the stream. */
    private final AtomicLong peerRead = new AtomicLong();
    private final long directAllowance;
    /**
     * How a frame may go out: {@code AT_ONCE}, written by the sending thread whenever the proof allows (class
     * comment); {@code QUEUED}, by the writer thread. The connection chooses ({@code PluginChannel}).
     */
    enum Send { QUEUED, AT_ONCE }

    FrameWriter(String pluginId, SocketChannel socket, IpcLimits limits, Consumer<String> onFailure) {
        this.pluginId = pluginId;
        this.socket = socket;
        this.outbox = new Outbox(limits.outboxBytes(), limits.outboxFrames());
        this.onFailure = onFailure;
        this.thread = Thread.ofVirtual().name("ipc-write-" + pluginId).unstarted(this::writeLoop);
        this.directAllowance = directAllowance(socket);
    }

    /** A quarter of the socket's send buffer, the bytes a blocking write can surely hand to the kernel at once. */
    private static long directAllowance(SocketChannel socket) {
        try {
            return Math.max(0, socket.getOption(StandardSocketOptions.SO_SNDBUF) / 4);
        } catch (IOException | UnsupportedOperationException e) {
            return 0; // unknown: every frame goes through the writer thread
        }
    }

    /** A frame's share of the send buffer: its bytes, twice (the kernel's buffers round up), and 1 KiB per frame. */
    private static long weight(int size) {
        return 2L * size + 1024;
    }

    void start() {
        thread.start();
    }

    /**
     * Writes the frame at once or queues it within the outbox bounds; returns its mark in the stream (pass it to
     * {@link #peerRead} once the plugin has answered it), or -1 (counted, nothing queued) past the bounds.
     */
    long offer(ByteBuffer frame, Send send) {
        return accept(frame, false, send);
    }

    /** As {@link #offer}, queueing past the bounds (its number is capped elsewhere). */
    long force(ByteBuffer frame, Send send) {
        return accept(frame, true, send);
    }

    /** The plugin answered the frame of this mark: it has read the stream at least that far. */
    void peerRead(long mark) {
        peerRead.accumulateAndGet(mark, Math::max);
    }

    private long accept(ByteBuffer frame, boolean force, Send send) {
        long w = weight(frame.remaining());
        IOException failed = null;
        long mark;
        synchronized (order) {
            // an interrupted thread's write would close the channel (it is interruptible): such a thread queues
            if (send == Send.AT_ONCE && !stopped && outbox.isEmpty() && accepted + w - peerRead.get() <= directAllowance
                    && !Thread.currentThread().isInterrupted()) {
                writeStartedNanos = System.nanoTime(); // watched all the same: see the class comment's last lines
                try {
                    while (frame.hasRemaining()) {
                        socket.write(frame); // does not block: the kernel has room for it (class comment)
                    }
                    framesOut.incrementAndGet();
                    writtenAtOnce.incrementAndGet();
                } catch (IOException e) {
                    failed = e;
                } finally {
                    writeStartedNanos = 0;
                }
            } else {
                if (force) {
                    outbox.force(frame);
                } else if (!outbox.offer(frame)) {
                    refused.incrementAndGet();
                    return -1;
                }
                LockSupport.unpark(thread);
            }
            accepted += w;
            mark = accepted;
        }
        if (failed != null) {
            onFailure.accept("write failed: " + failed.getMessage()); // ignored when the connection closed first
        }
        return mark;
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

    /** Frames the offering thread wrote itself (tests). */
    long writtenAtOnce() {
        return writtenAtOnce.get();
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
