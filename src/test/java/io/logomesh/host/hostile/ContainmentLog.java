package io.logomesh.host.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one row per hostile case to {@code target/hostile-containment.tsv}: runtime, case,
 * contained, how (which limit or check fired), the time the host took to notice and to recover.
 * Measured, never asserted: SECURITY.md copies the table from here.
 */
final class ContainmentLog {

    static final Path FILE = Path.of("target", "hostile-containment.tsv");

    private ContainmentLog() {
    }

    static synchronized void record(String runtime, String caseName, boolean contained, String how,
            long noticeMs, long recoverMs) {
        String row = String.join("\t", runtime, caseName, contained ? "yes" : "no",
                how.replace('\t', ' ').replace('\n', ' '), Long.toString(noticeMs), Long.toString(recoverMs)) + "\n";
        try {
            Files.createDirectories(FILE.getParent());
            if (!Files.exists(FILE)) {
                Files.writeString(FILE, "runtime\tcase\tcontained\thow\tnoticeMs\trecoverMs\n", StandardCharsets.UTF_8);
            }
            Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
