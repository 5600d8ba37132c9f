package io.logomesh.host.volume;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Copies and deletes a plugin's file trees without ever following a link: a link is copied or
 * deleted as the link it is, wherever it points. Other special files (fifos, sockets, devices)
 * are not copied.
 */
public final class Trees {

    /** How many directories deep {@link #delete} descends before it moves a folder up. */
    static final int MAX_OPEN_DEPTH = 32;

    private Trees() {
    }

    /** Copies what is below {@code from} into the existing folder {@code to}, owners, modes and times kept. */
    static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from)) {
                    Files.copy(dir, to.resolve(from.relativize(dir).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                            LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                            LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Deletes {@code root} and everything below it (nothing when it is not there), never following a
     * link and never naming anything by a path longer than {@code root}'s own plus
     * {@value #MAX_OPEN_DEPTH} short steps: it descends from open directories by name (a
     * {@link SecureDirectoryStream}), so a tree deeper than a path may be long is deleted too.
     * Folders found below {@value #MAX_OPEN_DEPTH} levels are first moved up into {@code root} and
     * deleted from there, so the number of directories held open stays bounded, whatever the depth.
     */
    public static void delete(Path root) throws IOException {
        BasicFileAttributes top;
        try {
            top = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!top.isDirectory()) {
            Files.delete(root);
            return;
        }
        boolean again = true;
        while (again) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
                if (!(stream instanceof SecureDirectoryStream<Path> base)) {
                    walkAndDelete(root);
                    return;
                }
                again = clear(base, base, 1);
            }
        }
        Files.delete(root);
    }

    /**
     * Deletes what {@code dir} holds; a folder at depth {@value #MAX_OPEN_DEPTH} is moved into
     * {@code base} instead (answers whether any was, i.e. whether {@code base} needs another pass).
     */
    private static boolean clear(SecureDirectoryStream<Path> dir, SecureDirectoryStream<Path> base, int depth)
            throws IOException {
        boolean movedUp = false;
        for (Path entry : dir) {
            Path name = entry.getFileName();
            BasicFileAttributes attrs = dir.getFileAttributeView(name, BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
            if (!attrs.isDirectory()) {
                dir.deleteFile(name);
            } else if (depth >= MAX_OPEN_DEPTH) {
                dir.move(name, base, Path.of(".deep-" + UUID.randomUUID()));
                movedUp = true;
            } else {
                try (SecureDirectoryStream<Path> child = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    movedUp |= clear(child, base, depth + 1);
                }
                dir.deleteDirectory(name);
            }
        }
        return movedUp;
    }

    /** Where the file system gives no {@link SecureDirectoryStream}: a walk by absolute paths. */
    private static void walkAndDelete(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
