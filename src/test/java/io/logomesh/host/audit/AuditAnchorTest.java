package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A signed head kept by the operator detects a cut-off tail and a tail rewritten and rehashed from an edit on. */
class AuditAnchorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private AuditFiles files;
    private AuditWriter writer;
    private AuditReader reader;
    private AuditAnchor anchor;

    private void open() {
        files = new AuditFiles(data.resolve("audit"));
        writer = new AuditWriter(files, 1 << 20, false);
        reader = new AuditReader(files, writer::whileStill);
        anchor = new AuditAnchor(data);
    }

    private void append(int n) {
        for (int i = 0; i < n; i++) {
            writer.append(AuditEvent.of("action", "p", "operator", "ok", AuditEvent.newDetails().put("n", i)));
        }
    }

    private AuditHead head() {
        return anchor.head(writer.lastSeq(), writer.lastHash(), Instant.now());
    }

    @Test
    void shouldSignTheHeadWithAKeyOnlyTheHostCanRead() throws IOException {
        open();
        append(3);
        AuditHead head = head();
        assertThat(head.records()).isEqualTo(3);
        assertThat(head.lastHash()).isEqualTo(writer.lastHash());
        assertThat(head.signature()).matches("[0-9a-f]{64}");
        assertThat(anchor.signedHere(head)).isTrue();
        assertThat(anchor.signedHere(new AuditHead(4, head.lastHash(), head.timestamp(), head.algorithm(),
                head.signature()))).as("a changed count").isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(AuditAnchor.KEY_FILE))))
                .isEqualTo("rw-------");
        assertThat(new AuditAnchor(data).signedHere(head)).as("the same key after a restart").isTrue();
        assertThat(new AuditAnchor(Files.createTempDirectory(data, "other")).signedHere(head)).isFalse();
    }

    @Test
    void shouldMatchATrailThatOnlyGrewSinceTheHead() {
        open();
        append(5);
        AuditHead head = head();
        append(5);
        VerifyReport report = reader.verify(head);
        assertThat(report.valid()).isTrue();
        assertThat(report.records()).isEqualTo(10);
        assertThat(report.anchor().result()).isEqualTo("matched");
    }

    @Test
    void shouldDetectATruncatedTail() throws IOException {
        open();
        append(10);
        AuditHead head = head();
        List<String> lines = Files.readAllLines(files.current());
        long keep = 0;
        for (int i = 0; i < 7; i++) {
            keep += lines.get(i).length() + 1;
        }
        try (FileChannel ch = FileChannel.open(files.current(), StandardOpenOption.WRITE)) {
            ch.truncate(keep);
        }
        assertThat(reader.verify().valid()).as("without the anchor the cut is invisible").isTrue();
        VerifyReport report = reader.verify(head);
        assertThat(report.valid()).isFalse();
        assertThat(report.anchor().result()).isEqualTo("truncated");
        assertThat(report.firstBroken().seq()).isEqualTo(8);
        assertThat(report.firstBroken().reason()).contains("cut off");
    }

    @Test
    void shouldDetectATailRewrittenAndRehashedFromAnEditOn() throws IOException {
        open();
        append(10);
        AuditHead head = head();
        writer.close();
        List<String> lines = Files.readAllLines(files.current());
        List<String> forged = new ArrayList<>(lines.subList(0, 4));
        String prev = JSON.readTree(lines.get(3)).get("hash").asText();
        for (int i = 4; i < lines.size(); i++) {
            ObjectNode r = (ObjectNode) JSON.readTree(lines.get(i));
            if (i == 4) {
                ((ObjectNode) r.get("details")).put("n", 999);
            }
            r.put("prevHash", prev);
            r.put("hash", AuditHashing.hashOf(r));
            prev = r.get("hash").asText();
            forged.add(JSON.writeValueAsString(r));
        }
        Files.write(files.current(), forged);
        open();
        assertThat(reader.verify().valid()).as("a rehashed chain verifies by itself").isTrue();
        VerifyReport report = reader.verify(head);
        assertThat(report.valid()).isFalse();
        assertThat(report.anchor().result()).isEqualTo("rewritten");
        assertThat(report.firstBroken().seq()).isEqualTo(10);
        assertThat(report.firstBroken().line()).isEqualTo(10);
    }

    @Test
    void shouldLeaveAHeadOfPrunedRecordsToTheChainsOwnCheck() {
        open();
        files = new AuditFiles(data.resolve("audit"));
        writer = new AuditWriter(files, 2048, false);
        reader = new AuditReader(files, writer::whileStill);
        append(3);
        AuditHead old = head();
        append(60);
        new AuditRetention(files, 1, java.time.Duration.ofDays(1), java.time.Clock.systemUTC()).apply(writer);
        VerifyReport report = reader.verify(old);
        assertThat(report.valid()).as(String.valueOf(report.firstBroken())).isTrue();
        assertThat(report.anchor().result()).isEqualTo("pruned");
    }
}
