package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.PluginContainer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** A plugin container on a Docker engine. Tolerates the container vanishing under it. */
final class DockerPluginContainer implements PluginContainer {

    private static final Logger LOG = Logger.getLogger(DockerPluginContainer.class);

    /**
     * How long a removal waits for the engine writes still on their way for this container (a rename, a limits
     * update). Engine 20.10 writes a container's record into its folder for both; one landing while a removal
     * empties that folder fails the removal ("directory not empty") and leaves the container "Removal In
     * Progress", holding its name, until removed again.
     */
    static final Duration WRITES_BOUND = Duration.ofSeconds(5);

    private final DockerClient docker;
    private final String id;
    private final String pluginId;
    private final Function<String, CompletableFuture<Void>> pendingWrites;

    DockerPluginContainer(DockerClient docker, String id, String pluginId,
                          Function<String, CompletableFuture<Void>> pendingWrites) {
        this.docker = docker;
        this.id = id;
        this.pluginId = pluginId;
        this.pendingWrites = pendingWrites;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public synchronized void rename(String name) { // never while this container is being removed (WRITES_BOUND)
        try {
            docker.renameContainerCmd(id).withName(name).exec();
        } catch (NotFoundException e) {
            // this container is gone already (removed before its held-back rename ran): nothing holds a name
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    @Override
    public void stop(Duration grace) {
        try {
            docker.stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
        } catch (NotFoundException | NotModifiedException e) {
            // already gone or already stopped
        } catch (RuntimeException e) {
            LOG.warnf("stopping container of %s failed: %s", pluginId, e.getMessage());
        }
    }

    @Override
    public void kill() {
        try {
            docker.killContainerCmd(id).withSignal("KILL").exec();
        } catch (NotFoundException | ConflictException e) {
            // already gone, or not running any more
        } catch (RuntimeException e) {
            LOG.warnf("killing container of %s failed: %s", pluginId, e.getMessage());
        }
    }

    @Override
    public synchronized void remove() {
        try {
            pendingWrites.apply(id).get(WRITES_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // failed (logged where it did) or still hanging: remove anyway
        }
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            LOG.warnf("removing container of %s failed (it is reaped at the next start): %s", pluginId,
                    e.getMessage());
        }
    }

    @Override
    public Optional<ContainerExit> awaitExit(Duration timeout) {
        try {
            docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            // still running after the timeout, or the wait failed: inspect tells
        }
        try {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
            return Optional.of(new ContainerExit(
                    Boolean.TRUE.equals(state.getRunning()),
                    state.getExitCodeLong() == null ? -1 : state.getExitCodeLong(),
                    Boolean.TRUE.equals(state.getOOMKilled())));
        } catch (RuntimeException e) {
            return Optional.empty(); // gone, or the engine does not answer: nothing can be known
        }
    }
}
