package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.logomesh.host.config.HostIdentity;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.container.PluginContainer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Creates locked-down plugin containers on a Docker engine (see {@link LockdownHostConfig}). The host's
 * {@link ContainerFactory} in single-host mode (chosen by {@code cluster/ContainerFactoryProducer}).
 */
@ApplicationScoped
@jakarta.enterprise.inject.Typed(DockerContainerFactory.class)
public class DockerContainerFactory implements ContainerFactory {

    private static final Logger LOG = Logger.getLogger(DockerContainerFactory.class);
    private static final int GONE_POLLS = 200;
    private static final long GONE_POLL_MILLIS = 25;

    private final DockerClient docker;
    private final String hostId;
    private final SeccompProfile seccomp;

    /** The engine updates still on their way for a container (removal waits for them: see DockerPluginContainer). */
    private final Function<String, CompletableFuture<Void>> pendingWrites;

    @Inject
    public DockerContainerFactory(DockerClient docker, HostIdentity identity, SeccompProfile seccomp,
                                  DockerContainerResources resources) {
        this.docker = docker;
        this.hostId = identity.id();
        this.seccomp = seccomp;
        this.pendingWrites = resources::engineSynced;
    }

    DockerContainerFactory(DockerClient docker, HostIdentity identity, SeccompProfile seccomp) {
        this.docker = docker;
        this.hostId = identity.id();
        this.seccomp = seccomp;
        this.pendingWrites = id -> CompletableFuture.completedFuture(null);
    }

    @Override
    public PluginContainer start(ContainerSpec spec) {
        try {
            return create(spec);
        } catch (DockerException | ContainerLaunchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    @Override
    public PluginContainer startCell(ContainerSpec spec, String pool) {
        try {
            return create(spec, ContainerLabels.ofCell(pool, hostId), false);
        } catch (DockerException | ContainerLaunchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    private PluginContainer create(ContainerSpec spec) {
        return create(spec, ContainerLabels.of(spec.pluginId(), hostId), true);
    }

    /**
     * The one way a container is made, for a plugin or a cell alike: the same {@link LockdownHostConfig}; only
     * the labels differ. A cell's name never replaces a stale container (a clash fails; the pool takes the next
     * number).
     */
    private PluginContainer create(ContainerSpec spec, Map<String, String> labels, boolean replaceStale) {
        if (!imageExists(spec.image())) {
            throw new ContainerLaunchException("runtime image " + spec.image() + " is missing (run: make images)");
        }
        if (replaceStale) {
            removeByName(ContainerLabels.containerName(spec.pluginId()));
        }
        String id;
        try {
            CreateContainerResponse created = docker.createContainerCmd(spec.image())
                    .withName(ContainerLabels.containerName(spec.pluginId()))
                    .withHostName(spec.pluginId())
                    .withUser(spec.uid() + ":" + spec.uid())
                    .withWorkingDir(ContainerSpec.CODE_MOUNT)
                    .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                    .withLabels(labels)
                    .withHostConfig(LockdownHostConfig.from(spec, seccomp))
                    .exec();
            id = created.getId();
        } catch (DockerException e) {
            throw new ContainerLaunchException("the engine refused to create the container: " + e.getMessage(), e);
        }
        DockerPluginContainer container = new DockerPluginContainer(docker, id, spec.pluginId(), pendingWrites);
        try {
            docker.startContainerCmd(id).exec();
        } catch (DockerException e) {
            container.remove();
            throw new ContainerLaunchException("the engine could not start the container: " + e.getMessage(), e);
        }
        return container;
    }

    @Override
    public int removeLeftovers(Set<String> keep) {
        List<Container> ours;
        try {
            ours = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(ContainerLabels.HOST, hostId)).exec();
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
        int removed = 0;
        for (Container c : ours) {
            String name = c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0];
            Optional<String> pluginId = ContainerLabels.pluginOf(c.getLabels(), name);
            if (pluginId.isEmpty() || !keep.contains(pluginId.get())) {
                new DockerPluginContainer(docker, c.getId(), pluginId.orElse(name), pendingWrites).remove();
                removed++;
            }
        }
        if (removed > 0) {
            LOG.infof("removed %d leftover plugin container(s) of host %s", removed, hostId);
        }
        return removed;
    }

    @Override
    public boolean imageExists(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    /** Removes a stale container of ours with that name; refuses to touch anyone else's. */
    private void removeByName(String name) {
        Map<String, String> labels;
        try {
            labels = docker.inspectContainerCmd(name).exec().getConfig().getLabels();
        } catch (NotFoundException e) {
            return;
        }
        if (labels == null || !hostId.equals(labels.get(ContainerLabels.HOST))) {
            throw new ContainerLaunchException("a container named " + name
                    + " exists and does not belong to this host; remove it or rename the plugin");
        }
        try {
            docker.removeContainerCmd(name).withForce(true).exec();
            LOG.infof("removed stale container %s", name);
        } catch (NotFoundException e) {
            // gone meanwhile
        } catch (ConflictException e) {
            awaitGone(name); // its removal is already under way (a container killed in the background)
        }
    }

    /** Waits, bounded, for a container whose removal is in progress to be gone. */
    private void awaitGone(String name) {
        for (int i = 0; i < GONE_POLLS; i++) {
            try {
                docker.inspectContainerCmd(name).exec();
            } catch (NotFoundException e) {
                return;
            }
            try {
                Thread.sleep(GONE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new ContainerLaunchException("the stale container " + name + " is still being removed");
    }
}
