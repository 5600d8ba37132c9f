package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Docker engine answers a ping; when it does not, the check is DOWN
 * and its {@code message} says which address did not answer and why.
 */
@Readiness
public class DockerReadinessCheck implements HealthCheck {

    static final String NAME = "docker-engine";

    private final DockerClient docker;
    private final DockerEngine engine;

    @Inject
    public DockerReadinessCheck(DockerClient docker, DockerEngine engine) {
        this.docker = docker;
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            docker.pingCmd().exec();
            return HealthCheckResponse.named(NAME).up().withData("address", engine.address()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named(NAME).down()
                    .withData("address", engine.address())
                    .withData("message", engine.whyUnavailable(e)).build();
        }
    }
}
