package io.logomesh.host.volume;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Running the host's own tools: success, a failing exit with its output, a missing tool, a tool that hangs. */
class HostCommandTest {

    @Test
    void shouldRunAToolThatSucceeds() {
        assertThatCode(() -> HostCommand.run("true")).doesNotThrowAnyException();
    }

    @Test
    void shouldNameTheToolItsExitAndItsOutputWhenItFails() {
        assertThatThrownBy(() -> HostCommand.run("sh", "-c", "echo 'no loop device' >&2; exit 32"))
                .isInstanceOf(IOException.class).hasMessage("sh exited 32: no loop device");
    }

    @Test
    void shouldSayWhenTheToolIsMissing() {
        assertThatThrownBy(() -> HostCommand.run("mkfs.logomesh-none"))
                .isInstanceOf(IOException.class).hasMessageStartingWith("mkfs.logomesh-none is not available");
    }

    @Test
    void shouldStopAToolThatDoesNotFinish() {
        assertThatThrownBy(() -> HostCommand.run(Duration.ofMillis(200), "sleep", "30"))
                .isInstanceOf(IOException.class).hasMessage("sleep did not finish within 200 ms");
    }
}
