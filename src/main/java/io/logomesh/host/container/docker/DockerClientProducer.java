package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.logomesh.host.config.HostConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import java.io.IOException;
import java.time.Duration;

/** The one place a {@link DockerClient} is built; everything else receives it. */
@ApplicationScoped
public class DockerClientProducer {

    @Produces
    @ApplicationScoped
    DockerClient dockerClient(HostConfig config) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        config.docker().host().ifPresent(builder::withDockerHost);
        DockerClientConfig clientConfig = builder.build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(clientConfig.getDockerHost())
                .sslConfig(clientConfig.getSSLConfig())
                .maxConnections(200)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        return DockerClientImpl.getInstance(clientConfig, http);
    }

    /** The engine address the client uses: {@code logomesh.docker.host}, else {@code DOCKER_HOST} or the local socket. */
    static String engineAddress(HostConfig config) {
        return config.docker().host()
                .orElseGet(() -> DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost().toString());
    }

    void close(@Disposes DockerClient client) throws IOException {
        client.close();
    }
}
