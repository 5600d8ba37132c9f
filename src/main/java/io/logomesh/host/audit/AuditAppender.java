package io.logomesh.host.audit;

import org.jboss.logging.Logger;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Takes the disk off the callers' path: {@link #offer} queues a record and returns at once; one
 * writer thread appends queued records in batches (one write, at most one fsync per batch), and
 * every {@code tick} writes the refusal summaries ({@link RefusalLimiter}) and applies retention
 * ({@link AuditRetention}). The queue holds at most {@code maxQueuedBytes} of records: past it
 * {@link #offer} refuses (the caller never waits), the record is counted by type, and one
 * {@code audit}/{@code dropped} record per type says how many were lost. Readers call
 * {@link #awaitWritten} first, so whatever was offered before a query is in the files it reads.
 * A record still queued when the host dies is lost (the chain stays valid).
 */
final class AuditAppender implements Closeable {

    private static final Logger LOG = Logger.getLogger(AuditAppender.class);
    private static final int BATCH = 1024;
    private static final Queued STOP = new Queued(null, 0);

    private record Queued(AuditEvent event, int bytes) {
    }

    private final AuditWriter writer;
    private final AuditRetention retention;
    private final RefusalLimiter limiter;
    private final long maxQueuedBytes;
    private final long tickNanos;
    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong enqueued = new AtomicLong();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private final Thread thread;
    private long drained;
    private long rotationsSeen = -1;
    private volatile boolean closed;

    AuditAppender(AuditWriter writer, AuditRetention retention, RefusalLimiter limiter, long maxQueuedBytes,
                  Duration tick) {
        this.writer = writer;
        this.retention = retention;
        this.limiter = limiter;
        this.maxQueuedBytes = maxQueuedBytes;
        this.tickNanos = Math.max(1, tick.toNanos());
        applyRetention();
        this.thread = Thread.ofPlatform().name("audit-writer").daemon().start(this::run);
    }

    /** Queues one record; false (and counted) when the queue is full or closed. Never blocks. */
    boolean offer(AuditEvent event, int bytes) {
        if (!closed) {
            if (queuedBytes.addAndGet(bytes) <= maxQueuedBytes) {
                enqueued.incrementAndGet();
                queue.add(new Queued(event, bytes));
                return true;
            }
            queuedBytes.addAndGet(-bytes);
        }
        dropped.computeIfAbsent(event.type(), t -> new LongAdder()).increment();
        return false;
    }

    /** Waits (at most {@code max}) until every record queued before this call is written. */
    void awaitWritten(Duration max) {
        long target = enqueued.get();
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (progress) {
            while (drained < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("audit writer is behind: %d records still queued", target - drained);
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Records offered and not yet written. */
    long backlog() {
        synchronized (progress) {
            return enqueued.get() - drained;
        }
    }

    /** Writes what is queued and the last summaries, then stops the writer thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long nextTick = System.nanoTime() + tickNanos;
        List<Queued> batch = new ArrayList<>(BATCH);
        boolean stop = false;
        while (!stop) {
            try {
                Queued first = queue.poll(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
            } catch (InterruptedException e) {
                stop = true;
            }
            stop |= batch.remove(STOP);
            try {
                if (!batch.isEmpty()) {
                    write(batch);
                }
                if (stop || System.nanoTime() - nextTick >= 0) {
                    tick(stop);
                    nextTick = System.nanoTime() + tickNanos;
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "audit writer: unexpected failure; going on");
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Queued> batch) {
        List<AuditEvent> events = new ArrayList<>(batch.size());
        long bytes = 0;
        for (Queued q : batch) {
            events.add(q.event());
            bytes += q.bytes();
        }
        try {
            writer.appendAll(events);
        } catch (RuntimeException e) {
            LOG.errorf("audit trail: %d records could not be written: %s", events.size(), e.getMessage());
            events.forEach(ev -> dropped.computeIfAbsent(ev.type(), t -> new LongAdder()).increment());
        }
        queuedBytes.addAndGet(-bytes);
        synchronized (progress) {
            drained += batch.size();
            progress.notifyAll();
        }
        if (writer.rotations() != rotationsSeen) {
            applyRetention();
        }
    }

    private void tick(boolean all) {
        List<AuditEvent> summaries = new ArrayList<>(limiter.summaries(System.nanoTime(), all));
        dropped.forEach((type, count) -> {
            long n = count.sumThenReset();
            if (n > 0) {
                summaries.add(AuditEvent.of("audit", null, AuditEvent.HOST, "dropped", AuditEvent.newDetails()
                        .put("recordType", type).put("dropped", n)
                        .put("message", n + " records of type " + type + " were not written (the audit queue was full"
                                + " or the disk refused them)")));
            }
        });
        if (!summaries.isEmpty()) {
            try {
                writer.appendAll(summaries);
            } catch (RuntimeException e) {
                LOG.errorf("audit trail: %d summary records could not be written: %s", summaries.size(), e.getMessage());
            }
        }
        applyRetention();
    }

    private void applyRetention() {
        rotationsSeen = writer.rotations();
        try {
            retention.apply(writer);
        } catch (RuntimeException e) {
            LOG.errorf("audit retention failed: %s", e.getMessage());
        }
    }
}
