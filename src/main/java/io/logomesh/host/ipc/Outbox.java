package io.logomesh.host.ipc;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames queued for one plugin connection, bounded in bytes and frames. Many threads offer,
 * one writer drains. A frame's bytes count against the bound from {@link #offer} until the writer
 * {@link #release}s them after writing, so the bound covers the frames being written too.
 */
final class Outbox {

    private final ConcurrentLinkedQueue<ByteBuffer> frames = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger count = new AtomicInteger();
    private final long maxBytes;
    private final int maxFrames;

    Outbox(long maxBytes, int maxFrames) {
        this.maxBytes = maxBytes;
        this.maxFrames = maxFrames;
    }

    /** Queues the frame unless that would pass a bound; false (nothing queued) when it would. */
    boolean offer(ByteBuffer frame) {
        int size = frame.remaining();
        if (bytes.addAndGet(size) > maxBytes) {
            bytes.addAndGet(-size);
            return false;
        }
        if (count.incrementAndGet() > maxFrames) {
            count.decrementAndGet();
            bytes.addAndGet(-size);
            return false;
        }
        frames.add(frame);
        return true;
    }

    /**
     * Queues the frame whatever the bounds (for frames whose number is bounded elsewhere, e.g.
     * answers to the plugin's own requests, capped by the in-flight limit).
     */
    void force(ByteBuffer frame) {
        bytes.addAndGet(frame.remaining());
        count.incrementAndGet();
        frames.add(frame);
    }

    /**
     * Moves up to {@code batch.length} frames (and, past the first, at most {@code maxBatchBytes})
     * into {@code batch}; returns how many. Their bytes stay counted until {@link #release}.
     */
    int drainTo(ByteBuffer[] batch, long maxBatchBytes) {
        int n = 0;
        long taken = 0;
        while (n < batch.length) {
            ByteBuffer next = frames.peek();
            if (next == null || (n > 0 && taken + next.remaining() > maxBatchBytes)) {
                break;
            }
            frames.poll(); // the only consumer, so this is the frame peeked
            batch[n++] = next;
            taken += next.remaining();
        }
        return n;
    }

    /** The writer wrote {@code written} frames of {@code size} bytes in total. */
    void release(int written, long size) {
        count.addAndGet(-written);
        bytes.addAndGet(-size);
    }

    /** Nothing queued and nothing being written. */
    boolean isEmpty() {
        return count.get() == 0;
    }

    /** Bytes queued or being written. */
    long bytes() {
        return bytes.get();
    }

    /** Forgets every queued frame (the connection closed). */
    void clear() {
        frames.clear();
    }
}
