package io.logomesh.host.prewarm;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Fills a cell's code folder with a plugin's code: hard links where it can (same file system), copies elsewhere. */
final class CodeFolder {

    private CodeFolder() {
    }

    /** Mirrors the tree under {@code from} into the (empty) folder {@code to}, never following a link. */
    static void fill(Path from, Path to) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(from)) {
            entries = walk.toList();
        }
        for (Path source : entries) {
            Path target = to.resolve(from.relativize(source).toString());
            if (source.equals(from)) {
                continue;
            }
            if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source, LinkOption.NOFOLLOW_LINKS));
            } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createLink(target, source);
                } catch (FileAlreadyExistsException e) {
                    throw e;
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
            // anything else (a bundle holds none: the extractor refuses links and devices) is left out
        }
    }

    /** Deletes a folder tree (never following a link); quiet when it is gone. */
    static void delete(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a socket file still bound or a race with the engine: the next start's sweep removes it
        }
    }
}
