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
import java.util.concurrent.TimeUnit;

/** A plugin container on a Docker engine. Tolerates the container vanishing under it. */
final class DockerPluginContainer implements PluginContainer {

    private static final Logger LOG = Logger.getLogger(DockerPluginContainer.class);

    private final DockerClient docker;
    private final String id;
    private final String pluginId;

    DockerPluginContainer(DockerClient docker, String id, String pluginId) {
        this.docker = docker;
        this.id = id;
        this.pluginId = pluginId;
    }

    @Override
    public String id() {
        return id;
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
    public void rename(String name) {
        docker.renameContainerCmd(id).withName(name).exec();
    }

    @Override
    public void remove() {
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

    /** The network a granted {@code network} permission connects to (as {@code networkAccess} does). */
    static final String GRANTED_NETWORK = "bridge";
    private static final String NO_NETWORK = "none";

    @Override
    public void setNetworkAccess(boolean enabled) {
        try {
            var networks = docker.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks();
            boolean onGranted = networks != null && networks.containsKey(GRANTED_NETWORK);
            boolean onNone = networks != null && networks.containsKey(NO_NETWORK);
            if (enabled && !onGranted) {
                if (onNone) {
                    docker.disconnectFromNetworkCmd().withNetworkId(NO_NETWORK).withContainerId(id).exec();
                }
                docker.connectToNetworkCmd().withNetworkId(GRANTED_NETWORK).withContainerId(id).exec();
            } else if (!enabled && onGranted) {
                docker.disconnectFromNetworkCmd().withNetworkId(GRANTED_NETWORK).withContainerId(id).withForce(true)
                        .exec();
                docker.connectToNetworkCmd().withNetworkId(NO_NETWORK).withContainerId(id).exec();
            }
            LOG.infof("plugin %s: network %s", pluginId, enabled ? "connected (" + GRANTED_NETWORK + ")" : "removed");
        } catch (NotFoundException e) {
            // the container is gone: nothing to connect or disconnect
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }
}
