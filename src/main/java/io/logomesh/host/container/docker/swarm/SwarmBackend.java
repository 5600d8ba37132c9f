package io.logomesh.host.container.docker.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.config.HostIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The swarm as the host drives it in cluster mode: docker-java on the manager's engine ({@code
 * logomesh.cluster.manager}), kept here so that only {@code container/docker/} speaks docker-java; the factory of
 * plugin services; the image ids this host's engine has (the same on every node).
 */
@ApplicationScoped
public class SwarmBackend {

    private final HostConfig config;
    private final DockerClient local;
    private final String hostId;
    private DockerClient manager;
    private SwarmServices services;

    @Inject
    public SwarmBackend(HostConfig config, DockerClient local, HostIdentity identity) {
        this.config = config;
        this.local = local;
        this.hostId = identity.id();
    }

    /** The manager's services (connects on first use). */
    public synchronized SwarmServices services() {
        if (services == null) {
            String address = config.cluster().manager().orElseThrow(() ->
                    new IllegalStateException("logomesh.cluster.manager is required in swarm mode"));
            var clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(address).build();
            var http = new ApacheDockerHttpClient.Builder().dockerHost(URI.create(address)).maxConnections(32)
                    .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build();
            manager = DockerClientImpl.getInstance(clientConfig, http);
            services = new SwarmServices(manager, http);
        }
        return services;
    }

    /** Where the plugins' folders are on every node. */
    public NodeFolders folders() {
        String root = config.cluster().nodeRoot();
        return new NodeFolders(Path.of(root), Path.of(config.cluster().nodeDataRoot().orElse(root)));
    }

    /** The factory of plugin services; {@code pins} says which node holds each plugin's {@code /data}. */
    public SwarmContainerFactory factory(PluginNodes nodes, NodePins pins) {
        return new SwarmContainerFactory(services(), nodes, folders(), local, hostId, pins);
    }

    /** This host's engine's id for an image (services name images by id). */
    public String imageId(String image) {
        return SwarmContainerFactory.imageIdOn(local, image);
    }

    public String hostId() {
        return hostId;
    }

    public synchronized void close() {
        if (manager != null) {
            try {
                manager.close();
            } catch (IOException e) {
                // closing at shutdown
            }
        }
    }
}
