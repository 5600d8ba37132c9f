package io.logomesh.host.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFilesTest {

    @Test
    void shouldReplaceContentWithoutLeavingTemporaryFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/state.json");

        AtomicFiles.write(file, "one".getBytes());
        AtomicFiles.write(file, "two".getBytes());

        assertThat(file).hasContent("two");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }
}
