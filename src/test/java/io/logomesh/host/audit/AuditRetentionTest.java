package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention by size and age deletes the oldest files, records what it dropped, and the chain still verifies. */
class AuditRetentionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dir;

    private AuditFiles files;
    private AuditWriter writer;
    private AuditReader reader;

    private void open(long maxFileBytes) {
        files = new AuditFiles(dir);
        writer = new AuditWriter(files, maxFileBytes, false);
        reader = new AuditReader(files, writer::whileStill);
    }

    private AuditRetention retention(long maxTotalBytes, Duration maxAge) {
        return new AuditRetention(files, maxTotalBytes, maxAge, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void append(int n) {
        for (int i = 0; i < n; i++) {
            writer.append(AuditEvent.of("action", "p", "operator", "ok", AuditEvent.newDetails().put("text", "x".repeat(200))));
        }
    }

    private long folderBytes() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void shouldDeleteTheOldestFilesPastTheSizeRecordItAndStillVerify() throws IOException {
        open(4096);
        AuditRetention retention = retention(16 * 1024, Duration.ofDays(365));
        for (int round = 0; round < 20; round++) {
            append(10);
            retention.apply(writer);
        }
        assertThat(folderBytes()).as("at most max-total plus one file").isLessThanOrEqualTo(16 * 1024 + 4096);
        assertThat(files.rotated()).isNotEmpty();
        assertThat(files.rotated().get(0).getFileName().toString()).isNotEqualTo("audit-1.log");

        List<AuditRecord> pruned = reader.query(new AuditQuery(null, "audit", null, null, 1000, 0));
        assertThat(pruned).isNotEmpty().allSatisfy(r -> assertThat(r.outcome()).isEqualTo("pruned"));
        AuditRecord last = pruned.get(pruned.size() - 1);
        assertThat(last.details().get("segments")).isNotEmpty();
        assertThat(last.details().get("reason").asText()).isEqualTo("max-total-mb");
        assertThat(last.details().get("records").asLong()).isPositive();
        AuditRecord first = AuditFiles.firstRecord(files.inOrder().get(0));
        assertThat(last.details().get("keptFromSeq").asLong()).isEqualTo(first.seq());
        assertThat(last.details().get("keptPrevHash").asText()).isEqualTo(first.prevHash());

        VerifyReport report = reader.verify();
        assertThat(report.valid()).as(String.valueOf(report.firstBroken())).isTrue();
        assertThat(report.records()).isLessThan(writer.lastSeq());
    }

    @Test
    void shouldNotAcceptOldestFilesDeletedByHandBeyondWhatWasPruned() throws IOException {
        open(4096);
        append(60);
        assertThat(reader.verify().valid()).isTrue();
        Files.delete(files.rotated().get(0));
        VerifyReport report = reader.verify();
        assertThat(report.valid()).isFalse();
        assertThat(report.firstBroken().reason()).contains("no pruning record");

        open(4096);
        retention(1, Duration.ofDays(365)).apply(writer); // prunes properly now: valid again
        assertThat(reader.verify().valid()).isTrue();
        append(60);
        Files.delete(files.inOrder().get(0)); // and by hand once more, past the pruning record's start
        open(4096);
        assertThat(reader.verify().valid()).isFalse();
    }

    @Test
    void shouldDeleteFilesOlderThanTheMaximumAge() throws IOException {
        open(4096);
        append(60);
        List<Path> rotated = files.rotated();
        assertThat(rotated.size()).isGreaterThan(2);
        Files.setLastModifiedTime(rotated.get(0), FileTime.from(NOW.minus(Duration.ofDays(40))));
        Files.setLastModifiedTime(rotated.get(1), FileTime.from(NOW.minus(Duration.ofDays(31))));
        for (int i = 2; i < rotated.size(); i++) {
            Files.setLastModifiedTime(rotated.get(i), FileTime.from(NOW.minus(Duration.ofDays(1))));
        }
        AuditRecord pruned = retention(Long.MAX_VALUE, Duration.ofDays(30)).apply(writer);
        assertThat(pruned).isNotNull();
        assertThat(pruned.details().get("segments")).hasSize(2);
        assertThat(pruned.details().get("reason").asText()).isEqualTo("max-age");
        assertThat(Files.exists(rotated.get(0))).isFalse();
        assertThat(Files.exists(rotated.get(2))).isTrue();
        assertThat(reader.verify().valid()).isTrue();
        assertThat(retention(Long.MAX_VALUE, Duration.ofDays(30)).apply(writer)).as("nothing more due").isNull();
    }

    @Test
    void shouldFinishAPruneInterruptedByACrash() throws IOException {
        open(4096);
        append(60);
        Path oldest = files.rotated().get(0);
        Files.writeString(dir.resolve(AuditRetention.PENDING), oldest.getFileName() + "\n../escape.log\n");
        retention(Long.MAX_VALUE, Duration.ofDays(365));
        assertThat(Files.exists(oldest)).isFalse();
        assertThat(Files.exists(dir.resolve(AuditRetention.PENDING))).isFalse();
    }

    @Test
    void shouldPruneEveryRotatedFileAndChainOnInTheCurrentOne() throws IOException {
        open(4096);
        append(60);
        AuditRecord pruned = retention(1, Duration.ofDays(365)).apply(writer);
        assertThat(files.rotated()).isEmpty();
        assertThat(pruned.details().get("keptFromSeq").asLong()).isLessThanOrEqualTo(pruned.seq());
        append(3);
        open(4096); // a restart continues the chain after pruning
        append(1);
        VerifyReport report = reader.verify();
        assertThat(report.valid()).as(String.valueOf(report.firstBroken())).isTrue();
        ObjectNode line = (ObjectNode) JSON.readTree(Files.readAllLines(files.current()).get(0));
        assertThat(line.get("seq").asLong()).isGreaterThan(1);
    }
}
