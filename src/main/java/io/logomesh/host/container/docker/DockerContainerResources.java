package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerResources;
import io.logomesh.host.container.ContainerUpdateException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code docker update} for a running plugin container: memory = memory+swap, and the CPU limit as
 * {@code NanoCpus}, the form it was created with (the engine refuses a {@code CpuQuota} update on a container
 * created with {@code NanoCpus}: "Conflicting options", engine 20.10).
 */
@ApplicationScoped
public class DockerContainerResources implements ContainerResources {

    private final DockerClient docker;

    @Inject
    public DockerContainerResources(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public void update(String containerId, long memoryBytes, double cpuPercent) {
        update(containerId, memoryBytes, cpuPercent, null);
    }

    @Override
    public void update(String containerId, long memoryBytes, double cpuPercent, long pidsLimit) {
        update(containerId, memoryBytes, cpuPercent, Long.valueOf(pidsLimit));
    }

    private void update(String containerId, long memoryBytes, double cpuPercent, Long pidsLimit) {
        try {
            var update = docker.updateContainerCmd(containerId)
                    .withMemory(memoryBytes)
                    .withMemorySwap(memoryBytes)
                    .withNanoCPUs(LockdownHostConfig.nanoCpus(cpuPercent));
            if (pidsLimit != null) {
                update.withPidsLimit(pidsLimit);
            }
            update.exec();
        } catch (DockerException e) {
            throw new ContainerUpdateException("the engine refused the new limits: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }
}
