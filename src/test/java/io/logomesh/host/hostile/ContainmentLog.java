package io.logomesh.host.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one row per hostile case to {@code target/hostile-containment.tsv}: runtime, case, contained,
 * how (what the case observed: which limit or check fired), the time the host took to notice and to
 * recover. Every field comes from an {@link Observation}: {@code contained} is {@code yes} only when all of
 * the case's checks held. Measured, never asserted; SECURITY.md's table is rendered from this file by
 * {@code src/bench/containment_table.py}.
 */
final class ContainmentLog {

    static final Path FILE = Path.of("target", "hostile-containment.tsv");
    static final String HEADER = "runtime\tcase\tcontained\thow\tnoticeMs\trecoverMs";

    /**
     * One row of the table.
     *
     * @param noticeMs  from the attack to the host's reaction; -1 when the case ended before it
     * @param recoverMs from the attack to the end of the health checks; -1 when the case ended before it
     */
    record Row(String runtime, String caseName, boolean contained, String how, long noticeMs, long recoverMs) {

        /** The row as a TSV line (no newline): tabs and line breaks in text become spaces, unknown times empty. */
        String tsv() {
            return String.join("\t", clean(runtime), clean(caseName), contained ? "yes" : "no", clean(how),
                    millis(noticeMs), millis(recoverMs));
        }

        private static String clean(String text) {
            return text.replaceAll("[\\t\\r\\n]+", " ").strip();
        }

        private static String millis(long ms) {
            return ms < 0 ? "" : Long.toString(ms);
        }
    }

    private ContainmentLog() {
    }

    /** Appends the row to {@link #FILE}. */
    static void record(Row row) {
        append(FILE, row);
    }

    /** Appends the row to {@code file}, writing the header first when the file is new. */
    static synchronized void append(Path file, Row row) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(file, row.tsv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
