package io.logomesh.host.volume;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

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
}
