package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the trail across all its files: filtered pages and the chain check. Takes a
 * consistent view first (every file opened, the current one's length fixed) while appends
 * wait, then reads without holding anyone up; a rotation meanwhile does not disturb it.
 */
public final class AuditReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditFiles files;
    private final ViewLock lock;

    /** Something that runs a supplier while no append happens. */
    @FunctionalInterface
    public interface ViewLock {
        <T> T whileStill(Supplier<T> reading);
    }

    public AuditReader(AuditFiles files, ViewLock lock) {
        this.files = files;
        this.lock = lock;
    }

    /** The page of matching records, oldest first; the page ends {@code offset} records before the newest match. */
    public List<AuditRecord> query(AuditQuery q) {
        ArrayDeque<AuditRecord> window = new ArrayDeque<>();
        int keep = q.limit() + q.offset();
        walk((file, lineNo, text) -> {
            AuditRecord r = parse(text);
            if (r != null && q.matches(r)) {
                window.addLast(r);
                if (window.size() > keep) {
                    window.removeFirst();
                }
            }
            return true;
        });
        List<AuditRecord> page = new ArrayList<>(window);
        return page.subList(0, Math.max(0, page.size() - q.offset()));
    }

    /** Walks every record in order, recomputing hashes and checking links and seq. */
    public VerifyReport verify() {
        return verify(null);
    }

    /**
     * Walks every record in order, recomputing hashes and checking links and seq. A trail that does not
     * start at seq 1 is valid only if an {@code audit}/{@code pruned} record in it names its first seq and
     * that record's {@code prevHash} ({@link AuditRetention}). With an {@code anchor} (already checked
     * to be signed by this host), the record at the anchor's seq must carry the anchor's hash and the
     * trail must reach it.
     */
    public VerifyReport verify(AuditHead anchor) {
        Chain c = new Chain(anchor);
        walk(c::visit);
        return c.report();
    }

    /** The state of one verify walk. */
    private static final class Chain {
        private final AuditHead anchor;
        private long count;
        private long expectedSeq = 1;
        private String prev = AuditHashing.GENESIS;
        private VerifyReport.Broken broken;
        private VerifyReport.AnchorCheck anchorCheck;
        private VerifyReport.Broken start;
        private String startPrevHash;
        private boolean startConfirmed;
        private String lastFile;
        private long lastLine;

        Chain(AuditHead anchor) {
            this.anchor = anchor;
        }

        boolean visit(String file, long lineNo, String text) {
            String reason = null;
            AuditRecord r = null;
            try {
                JsonNode node = JSON.readTree(text);
                r = AuditRecord.fromJson(node);
                if (count == 0 && r.seq() > 1) {
                    expectedSeq = r.seq();
                    prev = r.prevHash();
                    start = new VerifyReport.Broken(r.seq(), file, lineNo, "the trail starts at seq " + r.seq()
                            + " but no pruning record says why the records before it are gone");
                    startPrevHash = r.prevHash();
                }
                if (r.seq() != expectedSeq) {
                    reason = "seq is " + r.seq() + " where " + expectedSeq + " was expected (a record is missing or repeated)";
                } else if (!r.prevHash().equals(prev)) {
                    reason = "prevHash does not match the hash of the record before it";
                } else if (!AuditHashing.hashOf(node).equals(r.hash())) {
                    reason = "the record's content does not match its hash (it was changed)";
                }
            } catch (IOException | IllegalArgumentException | ClassCastException e) {
                reason = "the line is not a readable audit record";
            }
            count++;
            lastFile = file;
            lastLine = lineNo;
            if (reason != null) {
                broken = new VerifyReport.Broken(r == null ? expectedSeq : r.seq(), file, lineNo, reason);
                return false;
            }
            if (start != null && "audit".equals(r.type()) && "pruned".equals(r.outcome())
                    && r.details().path("keptFromSeq").asLong(-1) == start.seq()
                    && startPrevHash.equals(r.details().path("keptPrevHash").asText())) {
                startConfirmed = true;
            }
            if (anchor != null && r.seq() == anchor.records()) {
                anchorCheck = r.hash().equals(anchor.lastHash())
                        ? new VerifyReport.AnchorCheck(anchor.records(), "matched",
                                "record " + r.seq() + " carries the anchor's hash")
                        : new VerifyReport.AnchorCheck(anchor.records(), "rewritten", "record " + r.seq()
                                + " does not carry the anchor's hash: the trail was rewritten from there or before");
                if (!anchorCheck.holds()) {
                    broken = new VerifyReport.Broken(r.seq(), file, lineNo, anchorCheck.reason());
                    return false;
                }
            }
            expectedSeq++;
            prev = r.hash();
            return true;
        }

        VerifyReport report() {
            if (broken == null && start != null && !startConfirmed) {
                broken = start;
            }
            if (anchor != null && anchorCheck == null && broken == null) {
                long last = expectedSeq - 1;
                if (anchor.records() == 0 || (start != null && anchor.records() < start.seq())) {
                    anchorCheck = new VerifyReport.AnchorCheck(anchor.records(), anchor.records() == 0 ? "matched" : "pruned",
                            anchor.records() == 0 ? "the anchor was taken of an empty trail"
                                    : "retention deleted record " + anchor.records() + "; the chain's own check stands");
                } else {
                    anchorCheck = new VerifyReport.AnchorCheck(anchor.records(), "truncated", "the trail ends at seq "
                            + last + " but the anchor says " + anchor.records() + " records were written: its tail was cut off");
                    broken = new VerifyReport.Broken(last + 1, lastFile == null ? AuditFiles.CURRENT : lastFile,
                            lastLine + 1, anchorCheck.reason());
                }
            }
            return new VerifyReport(broken == null, count, broken, anchorCheck);
        }
    }

    private interface LineVisitor {
        /** @return false to stop */
        boolean visit(String file, long lineNo, String text) throws IOException;
    }

    private record View(Path path, FileChannel channel, long length) {
    }

    private void walk(LineVisitor visitor) {
        List<View> views = lock.whileStill(this::openAll);
        try {
            for (View v : views) {
                if (!walkFile(v, visitor)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit trail in " + files.dir(), e);
        } finally {
            for (View v : views) {
                try {
                    v.channel().close();
                } catch (IOException ignored) {
                    // read-only; nothing to lose
                }
            }
        }
    }

    private List<View> openAll() {
        List<View> views = new ArrayList<>();
        try {
            for (Path p : files.inOrder()) {
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
                views.add(new View(p, ch, ch.size()));
            }
        } catch (IOException e) {
            views.forEach(v -> {
                try {
                    v.channel().close();
                } catch (IOException ignored) {
                    // read-only
                }
            });
            throw new UncheckedIOException("cannot open the audit trail in " + files.dir(), e);
        }
        return views;
    }

    private static boolean walkFile(View v, LineVisitor visitor) throws IOException {
        v.channel().position(0);
        var in = new BoundedInput(Channels.newInputStream(v.channel()), v.length());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            long lineNo = 0;
            String name = v.path().getFileName().toString();
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (!visitor.visit(name, lineNo, line)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static AuditRecord parse(String text) {
        try {
            return AuditRecord.fromJson(JSON.readTree(text));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Reads at most {@code limit} bytes (the length the file had when the view was taken). */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private long left;

        BoundedInput(java.io.InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the channel is closed by the walk
        }
    }
}
