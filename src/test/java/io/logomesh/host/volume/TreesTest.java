package io.logomesh.host.volume;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Copying and deleting a plugin's trees: links stay links (in both directions), special files are left out. */
class TreesTest {

    @TempDir
    Path temp;

    @Test
    void shouldCopyFilesFoldersAndLinksButNoSpecialFiles() throws IOException, InterruptedException {
        Path from = Files.createDirectories(temp.resolve("from/sub"));
        Files.writeString(from.resolve("file"), "x");
        Files.createSymbolicLink(from.resolve("outside"), temp.resolve("victim"));
        assertThat(new ProcessBuilder("mkfifo", from.resolve("fifo").toString()).start().waitFor()).isZero();
        Path to = Files.createDirectory(temp.resolve("to"));

        Trees.copy(temp.resolve("from"), to);

        assertThat(to.resolve("sub/file")).hasContent("x");
        assertThat(Files.readSymbolicLink(to.resolve("sub/outside"))).isEqualTo(temp.resolve("victim"));
        assertThat(to.resolve("sub/fifo")).doesNotExist();
    }

    @Test
    void shouldDeleteATreeButNotWhatItsLinksPointAt() throws IOException {
        Path victim = Files.writeString(temp.resolve("victim"), "keep");
        Path root = Files.createDirectories(temp.resolve("tree/a"));
        Files.createSymbolicLink(root.resolve("link"), victim);
        Files.createSymbolicLink(temp.resolve("tree/dirlink"), temp);

        Trees.delete(temp.resolve("tree"));
        Trees.delete(temp.resolve("never-there"));

        assertThat(temp.resolve("tree")).doesNotExist();
        assertThat(victim).hasContent("keep");
    }

    @Test
    void shouldDeleteATreeDeeperThanAPathMayBeLong() throws IOException {
        Path root = Files.createDirectory(temp.resolve("deep"));
        Path victim = Files.writeString(temp.resolve("victim"), "keep");
        // chains of 1 000 folders each, nested bottom-up: no step names a path longer than ~2 100 bytes
        Path grown = null;
        for (int chain = 0; chain < 3; chain++) {
            Path top = Files.createDirectory(temp.resolve("chain" + chain));
            Path bottom = Files.createDirectories(top.resolve("a/".repeat(CHAIN_DEPTH)));
            Files.writeString(bottom.resolve("f"), "x");
            Files.createSymbolicLink(bottom.resolve("link"), victim);
            if (grown != null) {
                Files.move(grown, bottom.resolve("g"));
            }
            grown = top;
        }
        Files.move(grown, root.resolve("t"));
        assertThat(3 * 2 * CHAIN_DEPTH).as("bytes below the root, well past PATH_MAX").isGreaterThan(PATH_MAX);
        assertThatThrownBy(() -> Files.walkFileTree(root, new SimpleFileVisitor<>() { }))
                .as("a walk by absolute paths cannot reach the bottom").isInstanceOf(FileSystemException.class);

        Trees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(victim).hasContent("keep");
    }

    private static final int CHAIN_DEPTH = 1000;
    private static final int PATH_MAX = 4096;
}
