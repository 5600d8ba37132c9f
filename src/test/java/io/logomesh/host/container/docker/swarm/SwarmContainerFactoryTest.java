package io.logomesh.host.container.docker.swarm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SwarmContainerFactoryTest {

    @TempDir
    Path dir;

    @Test
    void shouldHandTheNodesThePluginsRegularFilesByRelativePathAndNoSymlink() throws Exception {
        Path code = Files.createDirectories(dir.resolve("code"));
        Files.writeString(code.resolve("main.py"), "print(1)");
        Files.createDirectories(code.resolve("lib"));
        Files.writeString(code.resolve("lib/util.py"), "X = 1");
        Files.writeString(dir.resolve("secret"), "host file");
        Files.createSymbolicLink(code.resolve("leak"), dir.resolve("secret"));

        var files = SwarmContainerFactory.code(code);

        assertThat(files.keySet()).containsExactly("lib/util.py", "main.py");
        assertThat(new String(files.get("main.py"))).isEqualTo("print(1)");
    }
}
