package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends records to the trail, one JSON line each, serialized; each append reaches the
 * operating system (optionally the disk, {@code fsync}) before it returns. Rotates
 * {@code audit.log} to {@code audit-<n>.log} when the next line would make it larger than
 * {@code maxFileBytes}; the chain simply continues in the new file. On opening, continues seq
 * and hash from the last complete line of the newest file (a torn last line, from a crash in
 * the middle of a write, is cut off first).
 */
public final class AuditWriter implements Closeable {

    private static final Logger LOG = Logger.getLogger(AuditWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL_CHUNK = 64 * 1024;

    private final AuditFiles files;
    private final long maxFileBytes;
    private final boolean fsync;
    private FileChannel channel;
    private long size;
    private long lastSeq;
    private String lastHash;
    private long rotations;

    public AuditWriter(AuditFiles files, long maxFileBytes, boolean fsync) {
        this.files = files;
        this.maxFileBytes = maxFileBytes;
        this.fsync = fsync;
        recover();
        open();
    }

    /** Appends one record and returns it (with its seq and hash). */
    public synchronized AuditRecord append(AuditEvent event) {
        return appendAll(List.of(event)).get(0);
    }

    /**
     * Appends records in order with as few writes as it can (one per file touched, one fsync at the end)
     * and returns them with their seq and hash.
     */
    public synchronized List<AuditRecord> appendAll(List<AuditEvent> events) {
        List<AuditRecord> written = new ArrayList<>(events.size());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        long seq = lastSeq;
        String hash = lastHash;
        try {
            for (AuditEvent event : events) {
                AuditRecord record = AuditRecord.next(seq + 1, hash, event);
                byte[] line = AuditRecordJson.line(record);
                if (size + pending.size() > 0 && size + pending.size() + line.length > maxFileBytes) {
                    write(pending);
                    rotate();
                }
                pending.write(line);
                written.add(record);
                seq = record.seq();
                hash = record.hash();
            }
            write(pending);
            if (fsync) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit trail in " + files.dir(), e);
        } finally {
            if (!written.isEmpty()) {
                AuditRecord last = written.get(written.size() - 1);
                lastSeq = last.seq();
                lastHash = last.hash();
            }
        }
        return written;
    }

    /** How many times the current file was rotated since this writer opened. */
    public synchronized long rotations() {
        return rotations;
    }

    private void write(ByteArrayOutputStream pending) throws IOException {
        if (pending.size() == 0) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(pending.toByteArray());
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        size += pending.size();
        pending.reset();
    }

    /** Seq of the last record written (0 when the trail is empty). */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Hash of the last record written ({@link AuditHashing#GENESIS} when empty). */
    public synchronized String lastHash() {
        return lastHash;
    }

    /**
     * Runs {@code reading} while no append happens; readers use it to take a consistent view
     * (open the files) and then read without the lock.
     */
    public synchronized <T> T whileStill(java.util.function.Supplier<T> reading) {
        return reading.get();
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.warnf("closing the audit trail: %s", e.getMessage());
        }
    }

    private void rotate() throws IOException {
        channel.force(false);
        channel.close();
        Path target = files.nextRotated();
        Files.move(files.current(), target, StandardCopyOption.ATOMIC_MOVE);
        LOG.infof("audit trail rotated to %s", target.getFileName());
        rotations++;
        open();
    }

    private void open() {
        try {
            channel = FileChannel.open(files.current(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            size = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit trail in " + files.dir(), e);
        }
    }

    /** Finds seq and hash of the last record in the newest non-empty file. */
    private void recover() {
        lastSeq = 0;
        lastHash = AuditHashing.GENESIS;
        List<Path> all = files.inOrder();
        for (int i = all.size() - 1; i >= 0; i--) {
            String last = lastLine(all.get(i));
            if (last == null) {
                continue;
            }
            try {
                AuditRecord record = AuditRecord.fromJson(JSON.readTree(last));
                lastSeq = record.seq();
                lastHash = record.hash();
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("the last line of " + all.get(i)
                        + " is not an audit record; the trail cannot be continued (" + e.getMessage() + ")");
            }
            return;
        }
    }

    /** The last complete line of a file, cutting off a torn one; null if there is none. */
    private static String lastLine(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long length = ch.size();
            long end = lastNewline(ch, length);
            if (end < 0) {
                if (length > 0) {
                    LOG.warnf("audit file %s holds only a torn line; cutting it off", file);
                    ch.truncate(0);
                }
                return null;
            }
            if (end + 1 < length) {
                LOG.warnf("audit file %s ends with a torn line (%d bytes); cutting it off", file, length - end - 1);
                ch.truncate(end + 1);
            }
            long start = lastNewline(ch, end) + 1;
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(end - start));
            while (buffer.hasRemaining() && ch.read(buffer, start + buffer.position()) > 0) {
                // keep reading until the line is complete
            }
            return new String(buffer.array(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit file " + file, e);
        }
    }

    /** Offset of the last '\n' before {@code before}, or -1. */
    private static long lastNewline(FileChannel ch, long before) throws IOException {
        long pos = before;
        ByteBuffer buffer = ByteBuffer.allocate(TAIL_CHUNK);
        while (pos > 0) {
            int n = (int) Math.min(TAIL_CHUNK, pos);
            buffer.clear().limit(n);
            ch.read(buffer, pos - n);
            for (int i = n - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n') {
                    return pos - n + i;
                }
            }
            pos -= n;
        }
        return -1;
    }
}
