package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.logomesh.host.config.HostIdentity;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With no engine behind the socket, the Docker layer says so in one typed error, and clean-up never throws. */
class EngineGoneTest {

    @TempDir
    Path dir;

    private DockerClient client;
    private DockerContainerFactory factory;

    @BeforeEach
    void pointAtNothing() {
        String host = "unix://" + dir.resolve("no-engine.sock");
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).build();
        client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create(host)).connectionTimeout(Duration.ofSeconds(1)).build());
        factory = new DockerContainerFactory(client, new HostIdentity(TestDataFolders.at(dir)), SeccompProfile.builtIn());
    }

    @AfterEach
    void close() throws IOException {
        client.close();
    }

    @Test
    void shouldReportTheEngineUnavailableInsteadOfATransportError() {
        ContainerSpec spec = new ContainerSpec("p", "img", 20001, dir, dir, Optional.empty(), Map.of(),
                1L << 24, 10, 8, 16, 1L << 20, "1m", 1);

        assertThatThrownBy(() -> factory.imageExists("img")).isInstanceOf(ContainerEngineException.class)
                .hasMessageStartingWith("the Docker engine does not answer");
        assertThatThrownBy(() -> factory.start(spec)).isInstanceOf(ContainerEngineException.class);
        assertThatThrownBy(() -> factory.removeLeftovers(Set.of()))
                .isInstanceOf(ContainerEngineException.class)
                .satisfies(e -> assertThat(((ContainerEngineException) e).code()).isEqualTo("engine_unavailable"));
    }

    @Test
    void shouldLetCleanUpCarryOnWhenTheEngineIsGone() {
        DockerPluginContainer container = new DockerPluginContainer(client, "abc", "p",
                id -> java.util.concurrent.CompletableFuture.completedFuture(null));

        container.stop(Duration.ZERO);
        container.remove();

        assertThat(container.awaitExit(Duration.ofMillis(10))).isEmpty();
    }
}
