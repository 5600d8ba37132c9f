package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerEngine;
import io.logomesh.host.container.EngineInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The Docker engine's identity from its {@code /info} and {@code /version} endpoints. */
@ApplicationScoped
public class DockerEngine implements ContainerEngine {

    private final DockerClient docker;
    private final String address;

    @Inject
    public DockerEngine(DockerClient docker, HostConfig config) {
        this(docker, DockerClientProducer.engineAddress(config));
    }

    DockerEngine(DockerClient docker, String address) {
        this.docker = docker;
        this.address = address;
    }

    @Override
    public EngineInfo describe() {
        try {
            Info info = docker.infoCmd().exec();
            Version version = docker.versionCmd().exec();
            return new EngineInfo(true, info.getServerVersion(), version.getApiVersion(), info.getOperatingSystem(),
                    info.getCGroupVersion(), null);
        } catch (RuntimeException e) {
            return EngineInfo.unavailable(whyUnavailable(e));
        }
    }

    @Override
    public String address() {
        return address;
    }

    /** One sentence naming the engine's address and the root cause, without Java type names. */
    String whyUnavailable(RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null || root.getMessage().isBlank()
                ? "no answer" : root.getMessage().strip();
        return "the Docker engine at " + address + " does not answer (" + detail + ")";
    }
}
