package io.logomesh.host.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeFilesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "..", "../x", "a/../../x", "a//b", "./a", "a/", "a\u0000b", "a\nb"})
    void shouldRefuseAPathThatIsNotAPlainRelativeOne(String path) {
        assertThatThrownBy(() -> CodeFiles.checkPath(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNeverWriteThroughASymlinkLeftInTheFolder() throws Exception {
        Path code = Files.createDirectories(dir.resolve("code"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(code.resolve("lib"), outside);

        CodeFiles.write(code, Map.of("lib/x.py", new byte[]{1}));

        assertThat(outside.resolve("x.py")).doesNotExist();
        assertThat(Files.isSymbolicLink(code.resolve("lib"))).isFalse();
        assertThat(code.resolve("lib/x.py")).exists();
    }

    @Test
    void shouldRefuseMoreFilesOrBytesThanItsBounds() {
        Map<String, byte[]> many = new HashMap<>();
        for (int i = 0; i <= CodeFiles.MAX_FILES; i++) {
            many.put("f" + i, new byte[0]);
        }
        assertThatThrownBy(() -> CodeFiles.write(dir.resolve("a"), many)).hasMessageContaining("too many files");
        assertThatThrownBy(() -> CodeFiles.write(dir.resolve("b"),
                Map.of("big", new byte[(int) CodeFiles.MAX_BYTES + 1]))).hasMessageContaining("too large");
        assertThat(dir.resolve("a")).doesNotExist();
    }
}
