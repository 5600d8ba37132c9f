package io.logomesh.host.container;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerExitTest {

    @Test
    void shouldNameOomBeforeTheExitCode() {
        assertThat(new ContainerExit(false, 137, true).reason()).isEqualTo("oom");
    }

    @Test
    void shouldNameTheExitCode() {
        assertThat(new ContainerExit(false, 3, false).reason()).isEqualTo("exited:3");
        assertThat(new ContainerExit(true, 0, false).reason()).isEqualTo("running");
    }
}
