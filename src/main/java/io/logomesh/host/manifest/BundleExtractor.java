package io.logomesh.host.manifest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
 * bytes read, the extracted bytes written and the entry count stay within {@link BundleLimits}.
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
        try (TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            extractEntries(tar, root, limits);
        } catch (IOException e) {
            throw new BundleInvalidException(NOT_TAR_GZ);
        }
    }

    private void extractEntries(TarArchiveInputStream tar, Path root, BundleLimits limits) {
        long extracted = 0;
        int entries = 0;
        TarArchiveEntry entry;
        while ((entry = nextEntry(tar, entries)) != null) {
            if (++entries > limits.maxEntries()) {
                throw new BundleTooLargeException("bundle has more than the limit of " + limits.maxEntries() + " entries");
            }
            String name = entry.getName();
            checkType(entry, name);
            Path target = resolve(root, name);
            if (target == null) {
                continue; // the archive's own root folder ("./")
            }
            if (entry.isDirectory()) {
                makeDirectories(root, target);
                continue;
            }
            if (extracted + Math.max(0, entry.getSize()) > limits.maxExtractedBytes()) {
                throw tooLarge(limits);
            }
            makeDirectories(root, target.getParent());
            extracted += writeFile(tar, target, name, limits.maxExtractedBytes() - extracted, limits);
            setMode(target, (entry.getMode() & 0111) != 0 ? EXEC_MODE : FILE_MODE);
        }
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
            throw new BundleInvalidException("bundle entry '" + name + "' is a link; bundles must contain only files and folders");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new BundleInvalidException("bundle entry '" + name + "' is a device or FIFO; bundles must contain only files and folders");
        }
        if (!entry.isDirectory() && !isRegularFile(entry)) {
            throw new BundleInvalidException("bundle entry '" + name + "' has an unsupported type; bundles must contain only files and folders");
        }
    }

    private static boolean isRegularFile(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM || type == TarConstants.LF_CONTIG;
    }

    /** The entry's path under {@code root}, or null for the root itself. */
    private static Path resolve(Path root, String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            throw new BundleInvalidException("bundle entry '" + printable(name) + "' has an invalid name");
        }
        if (name.startsWith("/")) {
            throw new BundleInvalidException("bundle entry '" + name + "' has an absolute path");
        }
        String relative = name.startsWith("./") ? name.substring(2) : name;
        if (relative.isEmpty() || relative.equals(".")) {
            return null;
        }
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new BundleInvalidException("bundle entry '" + name + "' points outside the bundle");
        }
        return target;
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
            throw new BundleInvalidException("bundle entry '" + name + "' appears more than once or clashes with a folder");
        }
    }

    private static int readEntry(InputStream tar, byte[] buffer, String name) {
        try {
            return tar.read(buffer);
        } catch (IOException e) {
            throw new BundleInvalidException("bundle is truncated or corrupt in entry '" + name + "'");
        }
    }

    private static void makeDirectories(Path root, Path dir) {
        if (dir.equals(root)) {
            return;
        }
        makeDirectories(root, dir.getParent());
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new BundleInvalidException("bundle entry '" + root.relativize(dir) + "' is both a file and a folder");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create folder '" + root.relativize(dir) + "'", e);
        }
        setMode(dir, DIR_MODE);
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

    private static String printable(String name) {
        return name.replaceAll("[\\p{Cntrl}\\\\]", "?");
    }
}
