package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.CgroupLimits;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerResources;
import io.logomesh.host.container.ContainerUpdateException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * {@code docker update} for a running plugin container: memory = memory+swap, and the CPU limit as
 * {@code NanoCpus}, the form it was created with (the engine refuses a {@code CpuQuota} update on a container
 * created with {@code NanoCpus}: "Conflicting options", engine 20.10).
 *
 * <p>{@link #applyLive} (a prewarmed cell taken by a plugin, on the activation path): where the container's
 * cgroup files are reachable from this process (the host runs beside the engine, as root), the limits are
 * written there first ({@link CgroupLimits}), in force in microseconds, when it returns. The engine is then told
 * the same values in the background (on the executor the caller gives, e.g. {@code AfterStart}: once the
 * activation has been answered), so that its record ({@code docker inspect}) matches; those updates run one
 * after another per container, in the order they were made, and {@link #update} waits for them before its own.
 * Elsewhere (a remote engine, a read-only cgroup file system) the engine's update is made and waited for.
 *
 * <p>Injected as {@code ContainerResources} through {@code cluster/ContainerFactoryProducer}, which gives this one
 * in single-host mode and the node agents' in cluster mode (hence {@code @Typed}: not a {@code ContainerResources}
 * bean of its own).
 */
@ApplicationScoped
@Typed(DockerContainerResources.class)
public class DockerContainerResources implements ContainerResources {

    private static final Logger LOG = Logger.getLogger(DockerContainerResources.class);

    private final DockerClient docker;
    private final CgroupLimits kernel;
    private final Map<String, CompletableFuture<Void>> toEngine = new ConcurrentHashMap<>();

    @Inject
    public DockerContainerResources(DockerClient docker, HostConfig config) {
        this(docker, new CgroupLimits(Path.of(config.monitor().cgroupRoot())));
    }

    DockerContainerResources(DockerClient docker, CgroupLimits kernel) {
        this.docker = docker;
        this.kernel = kernel;
    }

    @Override
    public void update(String containerId, long memoryBytes, double cpuPercent) {
        CompletableFuture<Void> earlier = engineSynced(containerId);
        try {
            earlier.join(); // a live change told to the engine in the background reaches it first
        } catch (RuntimeException e) {
            // logged where it failed; this update goes on
        }
        engine(containerId, memoryBytes, LockdownHostConfig.nanoCpus(cpuPercent), null);
    }

    @Override
    public void applyLive(String containerId, long memoryBytes, double cpuPercent, long pidsLimit,
                          Executor engineTold) {
        live(containerId, memoryBytes, cpuPercent, pidsLimit, engineTold);
    }

    /** Completes once every engine update made so far for this container has been answered (before a removal; tests). */
    public CompletableFuture<Void> engineSynced(String containerId) {
        return toEngine.getOrDefault(containerId, CompletableFuture.completedFuture(null));
    }

    private void live(String containerId, long memoryBytes, double cpuPercent, long pidsLimit, Executor engineTold) {
        long nanoCpus = LockdownHostConfig.nanoCpus(cpuPercent);
        CompletableFuture<Void> told;
        // two updates of one container never interleave their writes, nor reach the engine out of order
        synchronized (this) {
            if (!kernel.set(containerId, memoryBytes, nanoCpus, pidsLimit)) {
                told = null;
            } else {
                told = toEngine.compute(containerId, (id, before) -> (before == null
                        ? CompletableFuture.<Void>completedFuture(null) : before)
                        .thenRunAsync(() -> tellEngine(id, memoryBytes, nanoCpus, pidsLimit), engineTold));
            }
        }
        if (told == null) {
            engine(containerId, memoryBytes, nanoCpus, pidsLimit);
        } else {
            told.whenComplete((v, e) -> toEngine.remove(containerId, told));
        }
    }

    private void tellEngine(String containerId, long memoryBytes, long nanoCpus, long pidsLimit) {
        try {
            engine(containerId, memoryBytes, nanoCpus, pidsLimit);
        } catch (RuntimeException e) { // in force already; the engine's record lags (e.g. the container just went)
            LOG.debugf("container %s: the engine was not told its new limits: %s", containerId, e.getMessage());
        }
    }

    private void engine(String containerId, long memoryBytes, long nanoCpus, Long pidsLimit) {
        try {
            var update = docker.updateContainerCmd(containerId)
                    .withMemory(memoryBytes)
                    .withMemorySwap(memoryBytes)
                    .withNanoCPUs(nanoCpus);
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
