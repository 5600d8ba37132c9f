package io.logomesh.host.agent;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a plugin's code, as the control plane sent it (relative path → bytes), into its code folder on this
 * node, replacing what was there. Paths come from the control plane's own extracted bundle, and are still
 * checked: relative, no {@code ..}, no empty or hidden-control segments, at most {@link #MAX_FILES} files and
 * {@link #MAX_BYTES} in all; files are written 0644 and folders 0755, owned by the agent (root), so the plugin
 * (another uid, its folder mounted read-only) can read and never change them. Nothing is followed through a
 * symlink: the folder is emptied first, without following links.
 */
final class CodeFiles {

    /** At most this many files per plugin. */
    static final int MAX_FILES = 4096;
    /** At most this many bytes per plugin. */
    static final long MAX_BYTES = 64L << 20;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._@+-][A-Za-z0-9._@+ -]{0,254}");

    private CodeFiles() {
    }

    /** Replaces the folder's content with {@code files}. */
    static void write(Path folder, Map<String, byte[]> files) throws IOException {
        if (files.size() > MAX_FILES) {
            throw new IOException("too many files: " + files.size() + " (at most " + MAX_FILES + ")");
        }
        long total = files.values().stream().mapToLong(b -> b.length).sum();
        if (total > MAX_BYTES) {
            throw new IOException("code too large: " + total + " bytes (at most " + MAX_BYTES + ")");
        }
        files.keySet().forEach(CodeFiles::checkPath);
        empty(folder);
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = folder.resolve(file.getKey()).normalize();
            if (!target.startsWith(folder)) {
                throw new IOException("path leaves the code folder: " + file.getKey());
            }
            makeFolders(folder, target.getParent());
            try {
                Files.write(target, file.getValue(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("path given twice: " + file.getKey(), e);
            }
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    static void checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.length() > 1024) {
            throw new IllegalArgumentException("not a relative code path: " + path);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("not a code path: " + path);
            }
        }
    }

    private static void makeFolders(Path root, Path dir) throws IOException {
        if (dir.equals(root)) {
            return;
        }
        makeFolders(root, dir.getParent());
        if (Files.isSymbolicLink(dir)) {
            throw new IOException("a symlink in the code folder: " + root.relativize(dir));
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Removes everything inside the folder (never following a symlink); the folder itself stays. */
    static void empty(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) { // walk does not follow links by default
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(folder)) {
                    Files.delete(p);
                }
            }
        }
    }
}
