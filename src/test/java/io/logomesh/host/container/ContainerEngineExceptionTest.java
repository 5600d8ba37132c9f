package io.logomesh.host.container;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerEngineExceptionTest {

    @Test
    void shouldSayWhyWithoutAClassNameOrTheEnginesJson() {
        assertThat(new ContainerEngineException(new RuntimeException(new AsynchronousCloseException())).getMessage())
                .isEqualTo("the Docker engine does not answer (no answer)");
        assertThat(new ContainerEngineException(new RuntimeException("Status 500: {\"message\":\"cannot start\"}"))
                .getMessage()).isEqualTo("the Docker engine does not answer (cannot start)");
        assertThat(new ContainerEngineException(new IOException(
                "java.net.ConnectException: Connection refused")).getMessage())
                .isEqualTo("the Docker engine does not answer (Connection refused)");
    }
}
