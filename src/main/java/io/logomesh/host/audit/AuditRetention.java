package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention of the trail by size and age: deletes the oldest rotated files while all files together
 * are larger than {@code maxTotalBytes}, or while the oldest was last written before
 * {@code maxAge} ago. The current file is never deleted. Before deleting, it appends an
 * {@code audit}/{@code pruned} record naming the files, how many records they held and where the
 * kept chain starts ({@code keptFromSeq}, {@code keptPrevHash}): that record is what lets
 * {@code verify} accept a trail that no longer starts at seq 1. Deletion is finished at the next
 * start if the host stops in the middle of it ({@value #PENDING}). Runs on the writer's thread only.
 */
final class AuditRetention {

    /** Names the files of a prune in progress, one a line. */
    static final String PENDING = "prune.pending";

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);

    private final AuditFiles files;
    private final long maxTotalBytes;
    private final Duration maxAge;
    private final Clock clock;

    AuditRetention(AuditFiles files, long maxTotalBytes, Duration maxAge, Clock clock) {
        this.files = files;
        this.maxTotalBytes = maxTotalBytes;
        this.maxAge = maxAge;
        this.clock = clock;
        finishPending();
    }

    /** Applies retention; returns the {@code pruned} record written, or null when nothing was due. */
    AuditRecord apply(AuditWriter writer) {
        try {
            return prune(writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply audit retention in " + files.dir(), e);
        }
    }

    private AuditRecord prune(AuditWriter writer) throws IOException {
        List<Path> rotated = files.rotated();
        long total = Files.exists(files.current()) ? Files.size(files.current()) : 0;
        for (Path p : rotated) {
            total += Files.size(p);
        }
        Instant oldest = clock.instant().minus(maxAge);
        List<Path> drop = new ArrayList<>();
        List<String> why = new ArrayList<>();
        long bytes = 0;
        for (Path p : rotated) {
            boolean tooBig = total > maxTotalBytes;
            boolean tooOld = Files.getLastModifiedTime(p).toInstant().isBefore(oldest);
            if (!tooBig && !tooOld) {
                break;
            }
            addOnce(why, tooBig ? "max-total-mb" : "max-age");
            long size = Files.size(p);
            drop.add(p);
            total -= size;
            bytes += size;
        }
        if (drop.isEmpty()) {
            return null;
        }
        Path firstKept = drop.size() < rotated.size() ? rotated.get(drop.size()) : files.current();
        AuditRecord first = AuditFiles.firstRecord(drop.get(0));
        AuditRecord kept = Files.exists(firstKept) ? AuditFiles.firstRecord(firstKept) : null;
        long keptFromSeq = kept == null ? writer.lastSeq() + 1 : kept.seq();
        String keptPrevHash = kept == null ? writer.lastHash() : kept.prevHash();
        long droppedFromSeq = first == null ? keptFromSeq : first.seq();

        ObjectNode d = AuditEvent.newDetails();
        drop.forEach(p -> d.withArray("segments").add(p.getFileName().toString()));
        d.put("records", keptFromSeq - droppedFromSeq).put("droppedFromSeq", droppedFromSeq)
                .put("keptFromSeq", keptFromSeq).put("keptPrevHash", keptPrevHash).put("bytes", bytes)
                .put("reason", String.join(",", why));
        AuditRecord record = writer.append(AuditEvent.of("audit", null, AuditEvent.HOST, "pruned", d));

        Path pending = files.dir().resolve(PENDING);
        Files.write(pending, drop.stream().map(p -> p.getFileName().toString()).toList(), StandardCharsets.UTF_8);
        for (Path p : drop) {
            Files.deleteIfExists(p);
        }
        Files.deleteIfExists(pending);
        LOG.infof("audit retention (%s): deleted %d files, %d records, %d bytes; the trail starts at seq %d now",
                String.join(",", why), drop.size(), keptFromSeq - droppedFromSeq, bytes, keptFromSeq);
        return record;
    }

    private void finishPending() {
        Path pending = files.dir().resolve(PENDING);
        try {
            if (!Files.exists(pending)) {
                return;
            }
            for (String name : Files.readAllLines(pending, StandardCharsets.UTF_8)) {
                if (name.matches("audit-\\d{1,9}\\.log")) { // a plain name: nothing outside the folder
                    Files.deleteIfExists(files.dir().resolve(name));
                }
            }
            Files.delete(pending);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish the audit prune recorded in " + pending, e);
        }
    }

    private static void addOnce(List<String> list, String s) {
        if (!list.contains(s)) {
            list.add(s);
        }
    }
}
