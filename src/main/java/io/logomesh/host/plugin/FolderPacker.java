package io.logomesh.host.plugin;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Packs a bundle folder into a tar.gz in memory, so that a folder is checked by exactly
 * the same code as an upload. Links are packed as links (and so refused by the extractor),
 * never followed.
 */
final class FolderPacker {

    private FolderPacker() {
    }

    static InputStream pack(Path folder) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
             Stream<Path> walk = Files.walk(folder)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            List<Path> paths = walk.sorted().toList();
            for (Path path : paths) {
                if (path.equals(folder)) {
                    continue;
                }
                String name = folder.relativize(path).toString().replace('\\', '/');
                if (Files.isSymbolicLink(path)) {
                    TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName(Files.readSymbolicLink(path).toString());
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
                    tar.closeArchiveEntry();
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    TarArchiveEntry entry = new TarArchiveEntry(name);
                    entry.setSize(Files.size(path));
                    entry.setMode(Files.isExecutable(path) ? 0755 : 0644);
                    tar.putArchiveEntry(entry);
                    Files.copy(path, tar);
                    tar.closeArchiveEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack plugin folder " + folder, e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
