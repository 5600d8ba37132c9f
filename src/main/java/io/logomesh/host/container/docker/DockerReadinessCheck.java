package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the Docker engine answers. */
@Readiness
public class DockerReadinessCheck implements HealthCheck {

    private final DockerClient docker;

    @Inject
    public DockerReadinessCheck(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            docker.pingCmd().exec();
            return HealthCheckResponse.named("docker-engine").up().build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("docker-engine").down()
                    .withData("message", "the Docker engine does not answer: " + e.getMessage()).build();
        }
    }
}
