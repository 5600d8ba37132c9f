package io.logomesh.host.access;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class InitialTokenTest {

    @Test
    void shouldGenerateAPrivateTokenOnceAndKeepIt(@TempDir Path dir) throws IOException {
        DataFolder data = new DataFolder(config(dir, Optional.empty()));

        InitialToken first = new InitialToken(config(dir, Optional.empty()), data);
        Path file = dir.resolve("api-token");
        String token = Files.readString(file).strip();
        InitialToken second = new InitialToken(config(dir, Optional.empty()), data);

        assertThat(token).hasSizeGreaterThanOrEqualTo(40);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.matches(token)).isTrue();
        assertThat(second.matches(token)).isTrue();
        assertThat(first.matches(token + "x")).isFalse();
        assertThat(first.matches(null)).isFalse();
    }

    @Test
    void shouldPreferTheConfiguredTokenAndWriteNothing(@TempDir Path dir) {
        HostConfig config = config(dir, Optional.of("from-env"));

        InitialToken token = new InitialToken(config, new DataFolder(config));

        assertThat(token.matches("from-env")).isTrue();
        assertThat(dir.resolve("api-token")).doesNotExist();
    }

    private static HostConfig config(Path dir, Optional<String> token) {
        return TestDataFolders.config(dir, token);
    }
}
