package io.logomesh.host.container.docker.swarm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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

    @Test
    void shouldQuoteARejectedTasksImageErrorAsTheEnginesSentenceOnly() {
        ServiceTask task = new ServiceTask("t1", Optional.of("n1"), "rejected", "shutdown", Optional.empty(),
                Optional.of("com.github.dockerjava.api.exception.NotFoundException: Status 404: "
                        + "{\"message\":\"No such image: sha256:4f2a\"}\n\tat org.example.Engine.pull"), 0);

        String message = SwarmContainerFactory.imageRefusal(task, "logomesh-runtime-wasm:latest").orElseThrow();

        assertThat(message).contains("rejected").contains("No such image: sha256:4f2a")
                .contains("logomesh-runtime-wasm:latest").doesNotContain("{").doesNotContain("Status 404")
                .doesNotContain("NotFoundException").doesNotContain("dockerjava").doesNotContain("\n");
    }

    @Test
    void shouldLeaveATaskRejectedForAnotherReasonToTheSwarm() {
        ServiceTask task = new ServiceTask("t1", Optional.of("n1"), "rejected", "shutdown", Optional.empty(),
                Optional.of("mount source path does not exist"), 0);
        ServiceTask running = new ServiceTask("t2", Optional.of("n1"), "running", "running", Optional.empty(),
                Optional.of("image"), 0);

        assertThat(SwarmContainerFactory.imageRefusal(task, "img")).isEmpty();
        assertThat(SwarmContainerFactory.imageRefusal(running, "img")).isEmpty();
    }
}
