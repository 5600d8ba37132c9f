package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of the trail in one folder: rotated files {@code audit-1.log}, {@code audit-2.log}, …
 * (oldest first) and the current file {@code audit.log}, which is always last.
 */
public final class AuditFiles {

    /** The file being appended to. */
    public static final String CURRENT = "audit.log";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROTATED = Pattern.compile("audit-(\\d{1,9})\\.log");

    private final Path dir;

    public AuditFiles(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create audit folder " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path current() {
        return dir.resolve(CURRENT);
    }

    /** Every file of the trail in chain order: rotated files by number, then {@code audit.log} if present. */
    public List<Path> inOrder() {
        List<Path> files = new ArrayList<>(rotated());
        if (Files.exists(current())) {
            files.add(current());
        }
        return files;
    }

    /** The name the current file gets when it is rotated. */
    Path nextRotated() {
        List<Path> rotated = rotated();
        int last = rotated.isEmpty() ? 0 : number(rotated.get(rotated.size() - 1));
        return dir.resolve("audit-" + (last + 1) + ".log");
    }

    /** The rotated files, oldest first. */
    List<Path> rotated() {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> ROTATED.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(AuditFiles::number)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list audit folder " + dir, e);
        }
    }

    /** The first record of a file; null when it is empty or its first line is not a record. */
    static AuditRecord firstRecord(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            return line == null ? null : AuditRecord.fromJson(JSON.readTree(line));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static int number(Path p) {
        Matcher m = ROTATED.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }
}
