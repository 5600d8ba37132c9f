package io.logomesh.host.volume;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file system of fixed size in an image file, loop-mounted on a folder: whatever is
 * written below the folder fails with ENOSPC at the image's size, and never touches the
 * rest of the host's disk. The image is sparse (it takes only what was written) and is
 * mounted {@code nosuid,nodev,noexec}. Needs root (mount) and {@code mkfs.ext4}.
 */
final class LoopImage {

    static final String MOUNT_OPTIONS = "loop,nosuid,nodev,noexec";

    private LoopImage() {
    }

    /** A new empty ext4 image of {@code bytes} at {@code image} (readable by root only), no space reserved for root. */
    static void create(Path image, long bytes) throws IOException {
        Files.deleteIfExists(image);
        Files.createFile(image, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(bytes);
        }
        try {
            HostCommand.run("mkfs.ext4", "-q", "-F", "-m", "0", "-L", "logomesh-data", image.toString());
        } catch (IOException e) {
            Files.deleteIfExists(image);
            throw e;
        }
    }

    /** Mounts the image on {@code dir}; an image left unclean by a crash is checked and repaired once, then mounted. */
    static void mount(Path image, Path dir) throws IOException {
        try {
            HostCommand.run("mount", "-t", "ext4", "-o", MOUNT_OPTIONS, image.toString(), dir.toString());
        } catch (IOException first) {
            try {
                HostCommand.run("e2fsck", "-p", image.toString());
            } catch (IOException repaired) {
                first.addSuppressed(repaired); // exits 1 when it fixed something: the second mount tells
            }
            try {
                HostCommand.run("mount", "-t", "ext4", "-o", MOUNT_OPTIONS, image.toString(), dir.toString());
            } catch (IOException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    /** Unmounts {@code dir}; if something on the host still holds it, detaches it lazily. The loop device frees itself. */
    static void unmount(Path dir) throws IOException {
        try {
            HostCommand.run("umount", dir.toString());
        } catch (IOException busy) {
            HostCommand.run("umount", "-l", dir.toString());
        }
    }
}
