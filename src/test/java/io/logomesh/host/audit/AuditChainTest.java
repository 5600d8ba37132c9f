package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The hash chain on disk: append, verify, tampering, rotation, restart. */
class AuditChainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private AuditWriter writer;
    private AuditReader reader;

    private void open(long maxBytes) {
        AuditFiles files = new AuditFiles(dir);
        writer = new AuditWriter(files, maxBytes, false);
        reader = new AuditReader(files, writer::whileStill);
    }

    private static AuditEvent event(int i) {
        ObjectNode d = AuditEvent.newDetails().put("n", i).put("text", "record " + i);
        return new AuditEvent("action", "p" + (i % 2), "operator", "ok", d, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i));
    }

    private void append(int from, int to) {
        for (int i = from; i <= to; i++) {
            writer.append(event(i));
        }
    }

    @Test
    void shouldChainRecordsAndVerify() {
        open(1 << 20);
        AuditRecord first = writer.append(event(1));
        AuditRecord second = writer.append(event(2));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo(AuditHashing.GENESIS);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(first.hash()).matches("[0-9a-f]{64}").isNotEqualTo(second.hash());
        append(3, 10);

        VerifyReport report = reader.verify();
        assertThat(report.valid()).isTrue();
        assertThat(report.records()).isEqualTo(10);
        assertThat(report.firstBroken()).isNull();
    }

    @Test
    void shouldWriteOneJsonLinePerRecordInContractOrder() throws IOException {
        open(1 << 20);
        append(1, 3);
        List<String> lines = Files.readAllLines(dir.resolve("audit.log"));
        assertThat(lines).hasSize(3);
        List<String> names = new ArrayList<>();
        JSON.readTree(lines.get(0)).fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("seq", "timestamp", "type", "pluginId", "actor", "outcome", "details",
                "prevHash", "hash");
        assertThat(AuditHashing.hashOf(JSON.readTree(lines.get(1)))).isEqualTo(JSON.readTree(lines.get(1)).get("hash").asText());
    }

    @Test
    void shouldNameTheEditedLine() throws IOException {
        open(1 << 20);
        append(1, 6);
        Path file = dir.resolve("audit.log");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(3, lines.get(3).replace("\"record 4\"", "\"record 4 (edited)\""));
        Files.write(file, lines, StandardCharsets.UTF_8);

        VerifyReport report = reader.verify();
        assertThat(report.valid()).isFalse();
        assertThat(report.firstBroken().file()).isEqualTo("audit.log");
        assertThat(report.firstBroken().line()).isEqualTo(4);
        assertThat(report.firstBroken().seq()).isEqualTo(4);
        assertThat(report.firstBroken().reason()).contains("hash");
    }

    @Test
    void shouldFailAtTheRecordAfterADeletedLine() throws IOException {
        open(1 << 20);
        append(1, 6);
        Path file = dir.resolve("audit.log");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(2);
        Files.write(file, lines, StandardCharsets.UTF_8);

        VerifyReport report = reader.verify();
        assertThat(report.valid()).isFalse();
        assertThat(report.firstBroken().line()).isEqualTo(3);
        assertThat(report.firstBroken().seq()).isEqualTo(4);
        assertThat(report.firstBroken().reason()).contains("seq");
    }

    @Test
    void shouldFailWhenALineIsRehashedButTheNextLinkBreaks() throws IOException {
        open(1 << 20);
        append(1, 4);
        Path file = dir.resolve("audit.log");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        ObjectNode forged = (ObjectNode) JSON.readTree(lines.get(1));
        ((ObjectNode) forged.get("details")).put("text", "forged");
        forged.put("hash", AuditHashing.hashOf(forged));
        lines.set(1, JSON.writeValueAsString(forged));
        Files.write(file, lines, StandardCharsets.UTF_8);

        VerifyReport report = reader.verify();
        assertThat(report.firstBroken().line()).isEqualTo(3);
        assertThat(report.firstBroken().reason()).contains("prevHash");
    }

    @Test
    void shouldKeepTheChainAcrossRotatedFiles() throws IOException {
        open(600);
        append(1, 12);
        List<Path> files = new AuditFiles(dir).inOrder();
        assertThat(files.size()).isGreaterThan(2);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("audit-1.log");
        assertThat(files.get(files.size() - 1).getFileName().toString()).isEqualTo("audit.log");
        for (Path f : files) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(600);
        }
        String lastOfFirst = lastLine(files.get(0));
        String firstOfSecond = Files.readAllLines(files.get(1)).get(0);
        assertThat(JSON.readTree(firstOfSecond).get("prevHash").asText())
                .isEqualTo(JSON.readTree(lastOfFirst).get("hash").asText());

        assertThat(reader.verify().valid()).isTrue();
        assertThat(reader.verify().records()).isEqualTo(12);
        List<AuditRecord> page = reader.query(new AuditQuery(null, null, null, null, 1000, 0));
        assertThat(page).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);

        // an edit in a rotated file is named with that file
        Path second = files.get(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(second));
        lines.set(0, lines.get(0).replace("\"ok\"", "\"denied\""));
        Files.write(second, lines, StandardCharsets.UTF_8);
        VerifyReport report = reader.verify();
        assertThat(report.firstBroken().file()).isEqualTo(second.getFileName().toString());
        assertThat(report.firstBroken().line()).isEqualTo(1);
    }

    @Test
    void shouldContinueTheChainAfterARestart() {
        open(1 << 20);
        append(1, 3);
        String lastHash = writer.lastHash();
        writer.close();

        open(1 << 20);
        AuditRecord next = writer.append(event(4));
        assertThat(next.seq()).isEqualTo(4);
        assertThat(next.prevHash()).isEqualTo(lastHash);
        assertThat(reader.verify().valid()).isTrue();
    }

    @Test
    void shouldContinueAfterARestartFromARotatedFileAndCutATornLine() throws IOException {
        open(600);
        append(1, 8);
        writer.close();
        Files.writeString(dir.resolve("audit.log"), "{\"seq\":9,\"timest", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        open(600);
        assertThat(writer.lastSeq()).isEqualTo(8);
        append(9, 10);
        VerifyReport report = reader.verify();
        assertThat(report.valid()).isTrue();
        assertThat(report.records()).isEqualTo(10);
    }

    @Test
    void shouldFilterAndPageNewestLast() {
        open(1 << 20);
        append(1, 10);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(reader.query(new AuditQuery("p1", null, null, null, 100, 0)))
                .extracting(AuditRecord::seq).containsExactly(1L, 3L, 5L, 7L, 9L);
        assertThat(reader.query(new AuditQuery(null, null, null, null, 3, 0)))
                .extracting(AuditRecord::seq).containsExactly(8L, 9L, 10L);
        assertThat(reader.query(new AuditQuery(null, null, null, null, 3, 3)))
                .extracting(AuditRecord::seq).containsExactly(5L, 6L, 7L);
        assertThat(reader.query(new AuditQuery(null, "action", base.plusSeconds(4), base.plusSeconds(6), 100, 0)))
                .extracting(AuditRecord::seq).containsExactly(4L, 5L);
        assertThat(reader.query(new AuditQuery(null, "lifecycle", null, null, 100, 0))).isEmpty();
    }

    private static String lastLine(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f);
        return lines.get(lines.size() - 1);
    }
}
