package io.logomesh.host.manifest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks an untrusted {@code .tar.gz} plugin bundle into a fresh folder, safely.
 *
 * <p>Guarantees: nothing is written outside {@code targetDir}; the archive may hold only regular
 * files and folders (any symbolic or hard link, device or FIFO rejects the whole bundle); no entry
 * is written twice; files get mode 0644 (0755 when the entry is executable by anyone), folders
 * 0755, whatever the archive says (no setuid/setgid, ownership not restored); the compressed
 * bytes read, the decompressed tar bytes, the extracted bytes written, the tar entries read and the
 * files and folders created (folders implied by deep names included) stay within
 * {@link BundleLimits}; every name is checked before anything is created for it: no NUL, control
 * character or backslash, each component at most {@link BundleLimits#MAX_NAME_BYTES} bytes, at most
 * {@code maxDepth} components and {@code maxPathBytes} bytes in all, so the file system never
 * refuses a name and no failure of a hostile archive is anything but a 4xx exception.
 * A single leading {@code ./} is stripped from names. On failure the caller should delete
 * {@code targetDir}: partly extracted files may remain.
 */
public class BundleExtractor {

    private static final String NOT_TAR_GZ = "bundle is not a gzip-compressed tar archive";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> EXEC_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final int BUFFER = 64 * 1024;

    /**
     * Extracts {@code tarGz} into {@code targetDir}, creating it if needed (it must not be a
     * symbolic link and should be empty).
     *
     * @throws BundleInvalidException  on an unsafe or malformed archive (message names the entry)
     * @throws BundleTooLargeException when a limit is exceeded
     * @throws UncheckedIOException    when the host cannot write the files
     * @throws IllegalArgumentException when {@code targetDir} is a symbolic link or not a folder
     */
    public void extract(InputStream tarGz, Path targetDir, BundleLimits limits) {
        Path root = prepareTarget(targetDir);
        InputStream counted = new LimitedInputStream(tarGz, limits.maxCompressedBytes(), "compressed bytes");
        GzipCompressorInputStream gzip;
        try {
            gzip = new GzipCompressorInputStream(counted);
        } catch (IOException e) {
            throw new BundleInvalidException(NOT_TAR_GZ);
        }
        InputStream tarBytes = new LimitedInputStream(gzip, limits.maxTarBytes(), "decompressed bytes");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes)) {
            extractEntries(tar, root, limits);
        } catch (IOException e) {
            throw new BundleInvalidException(NOT_TAR_GZ);
        }
    }

    private void extractEntries(TarArchiveInputStream tar, Path root, BundleLimits limits) {
        long extracted = 0;
        int entries = 0;
        int[] created = {0};
        TarArchiveEntry entry;
        while ((entry = nextEntry(tar, entries)) != null) {
            if (++entries > limits.maxEntries()) {
                throw tooManyEntries(limits);
            }
            String name = entry.getName();
            checkType(entry, name);
            Path target = resolve(root, name, limits);
            if (target == null) {
                continue; // the archive's own root folder ("./")
            }
            if (entry.isDirectory()) {
                makeDirectories(root, target, created, limits);
                continue;
            }
            if (extracted + Math.max(0, entry.getSize()) > limits.maxExtractedBytes()) {
                throw tooLarge(limits);
            }
            makeDirectories(root, target.getParent(), created, limits);
            count(created, limits);
            extracted += writeFile(tar, target, name, limits.maxExtractedBytes() - extracted, limits);
            setMode(target, (entry.getMode() & 0111) != 0 ? EXEC_MODE : FILE_MODE);
        }
    }

    private static void count(int[] created, BundleLimits limits) {
        if (++created[0] > limits.maxEntries()) {
            throw tooManyEntries(limits);
        }
    }

    private static BundleTooLargeException tooManyEntries(BundleLimits limits) {
        return new BundleTooLargeException("bundle has more than the limit of " + limits.maxEntries()
                + " entries (files and folders, folders implied by deep names included)");
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, int entriesSoFar) {
        try {
            return tar.getNextEntry();
        } catch (EOFException | ZipException e) {
            throw new BundleInvalidException(entriesSoFar == 0 ? NOT_TAR_GZ : "bundle is truncated or corrupt");
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleInvalidException(entriesSoFar == 0 ? NOT_TAR_GZ : "bundle is corrupt after " + entriesSoFar + " entries");
        }
    }

    private static void checkType(TarArchiveEntry entry, String name) {
        if (entry.isSymbolicLink() || entry.isLink()) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' is a link; bundles must contain only files and folders");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' is a device or FIFO; bundles must contain only files and folders");
        }
        if (!entry.isDirectory() && !isRegularFile(entry)) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' has an unsupported type; bundles must contain only files and folders");
        }
    }

    private static boolean isRegularFile(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM || type == TarConstants.LF_CONTIG;
    }

    /** The entry's path under {@code root}, or null for the root itself. */
    private static Path resolve(Path root, String name, BundleLimits limits) {
        if (name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' has an invalid name");
        }
        if (name.startsWith("/")) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' has an absolute path");
        }
        String relative = name.startsWith("./") ? name.substring(2) : name;
        if (relative.isEmpty() || relative.equals(".")) {
            return null;
        }
        checkLength(name, relative, limits);
        Path target;
        try {
            target = root.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' has a name this host cannot store");
        }
        if (!target.startsWith(root) || target.equals(root)) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' points outside the bundle");
        }
        return target;
    }

    private static void checkLength(String name, String relative, BundleLimits limits) {
        if (relative.getBytes(StandardCharsets.UTF_8).length > limits.maxPathBytes()) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' has a name longer than "
                    + limits.maxPathBytes() + " bytes");
        }
        int depth = 0;
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (++depth > limits.maxDepth()) {
                throw new BundleInvalidException("bundle entry '" + printable(name) + "' is nested deeper than "
                        + limits.maxDepth() + " folders");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > BundleLimits.MAX_NAME_BYTES) {
                throw new BundleInvalidException("bundle entry '" + printable(name) + "' has a path component longer than "
                        + BundleLimits.MAX_NAME_BYTES + " bytes");
            }
        }
    }

    private static long writeFile(InputStream tar, Path target, String name, long budget, BundleLimits limits) {
        long written = 0;
        byte[] buffer = new byte[BUFFER];
        try (OutputStream out = create(target, name)) {
            int n;
            while ((n = readEntry(tar, buffer, name)) > 0) {
                written += n;
                if (written > budget) {
                    throw tooLarge(limits);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write bundle entry '" + name + "'", e);
        }
        return written;
    }

    private static OutputStream create(Path target, String name) throws IOException {
        try {
            return Files.newOutputStream(target,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (FileAlreadyExistsException e) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' appears more than once or clashes with a folder");
        }
    }

    private static int readEntry(InputStream tar, byte[] buffer, String name) {
        try {
            return tar.read(buffer);
        } catch (IOException e) {
            throw new BundleInvalidException("bundle is truncated or corrupt in entry '" + printable(name) + "'");
        }
    }

    /** Creates {@code dir} and its missing parents under {@code root}, each counted as an entry; no recursion. */
    private static void makeDirectories(Path root, Path dir, int[] created, BundleLimits limits) {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path d = dir; !d.equals(root); d = d.getParent()) {
            if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                break;
            }
            missing.push(d);
        }
        while (!missing.isEmpty()) {
            Path d = missing.pop();
            count(created, limits);
            try {
                Files.createDirectory(d);
            } catch (FileAlreadyExistsException e) {
                throw new BundleInvalidException("bundle entry '" + printable(root.relativize(d).toString())
                        + "' is both a file and a folder");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create folder '" + root.relativize(d) + "'", e);
            }
            setMode(d, DIR_MODE);
        }
    }

    private static Path prepareTarget(Path targetDir) {
        try {
            if (Files.isSymbolicLink(targetDir)) {
                throw new IllegalArgumentException("target folder " + targetDir + " must not be a symbolic link");
            }
            if (!Files.exists(targetDir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(targetDir);
                setMode(targetDir, DIR_MODE);
            }
            if (!Files.isDirectory(targetDir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("target " + targetDir + " is not a folder");
            }
            return targetDir.toRealPath(LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare folder " + targetDir, e);
        }
    }

    private static void setMode(Path path, Set<PosixFilePermission> mode) {
        try {
            if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(path, mode);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not set permissions of " + path, e);
        }
    }

    private static BundleTooLargeException tooLarge(BundleLimits limits) {
        return new BundleTooLargeException("bundle is larger than the limit of " + limits.maxExtractedBytes() + " extracted bytes");
    }

    /** The name fit for a message: control characters and backslashes as '?', cut at 200 characters. */
    private static String printable(String name) {
        String cut = name.length() > 200 ? name.substring(0, 200) + "…" : name;
        return cut.replaceAll("[\\p{Cntrl}\\\\]", "?");
    }
}
