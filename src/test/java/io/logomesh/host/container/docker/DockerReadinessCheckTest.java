package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.logomesh.host.container.EngineInfo;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** With nothing behind the engine's socket, readiness is DOWN and says where it asked and why. */
class DockerReadinessCheckTest {

    @TempDir
    Path dir;

    private DockerClient client;
    private String host;

    @BeforeEach
    void pointAtNothing() {
        host = "unix://" + dir.resolve("no-engine.sock");
        client = DockerClientImpl.getInstance(
                DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build(),
                new ApacheDockerHttpClient.Builder().dockerHost(URI.create(host))
                        .connectionTimeout(Duration.ofSeconds(1)).build());
    }

    @AfterEach
    void close() throws IOException {
        client.close();
    }

    @Test
    void shouldSayWhyTheEngineIsNotReady() {
        HealthCheckResponse response = new DockerReadinessCheck(client, new DockerEngine(client, host)).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        String message = response.getData().orElseThrow().get("message").toString();
        assertThat(message).startsWith("the Docker engine at " + host + " does not answer (")
                .doesNotContain("Exception");
    }

    @Test
    void shouldDescribeAnUnavailableEngineWithoutThrowing() {
        EngineInfo info = new DockerEngine(client, host).describe();

        assertThat(info.available()).isFalse();
        assertThat(info.version()).isNull();
        assertThat(info.message()).contains(host);
    }
}
