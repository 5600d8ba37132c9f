package io.logomesh.host.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kept-open counter files: a file larger than the first buffer, a file that changes, and reading after close. */
class CounterFilesTest {

    @TempDir
    Path temp;

    @Test
    void shouldReadAFileLargerThanItsFirstBufferWhole() throws IOException {
        Path file = temp.resolve("blkio");
        String big = "8:0 Read 1\n".repeat(1500); // 16.5 KB: the buffer doubles three times
        Files.writeString(file, big);

        try (CounterFiles files = new CounterFiles()) {
            assertThat(files.read(file)).isEqualTo(big);
            Files.writeString(file, "Total 0\n");
            assertThat(files.read(file)).as("read again from offset 0").isEqualTo("Total 0\n");
        }
    }

    @Test
    void shouldRefuseToReadOnceClosed() throws IOException {
        Path file = Files.writeString(temp.resolve("pids.current"), "1\n");
        CounterFiles files = new CounterFiles();
        files.read(file);
        files.close();

        assertThatThrownBy(() -> files.read(file)).isInstanceOf(IOException.class).hasMessage("closed");
    }
}
