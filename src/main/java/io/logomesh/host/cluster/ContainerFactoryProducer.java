package io.logomesh.host.cluster;

import jakarta.annotation.PreDestroy;
import java.util.Set;
import jakarta.enterprise.event.Event;
import io.logomesh.host.container.ContainerNodeLostEvent;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.ContainerOomEvent;
import io.logomesh.host.container.ContainerResources;
import io.logomesh.host.container.StatsSource;
import io.logomesh.host.container.docker.DockerContainerFactory;
import io.logomesh.host.container.docker.DockerContainerResources;
import io.logomesh.host.container.docker.DockerStatsSource;
import io.logomesh.host.container.docker.swarm.SwarmBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Where plugins run ({@code logomesh.cluster.mode}): {@code single}, containers on this host's engine
 * ({@link DockerContainerFactory}); {@code swarm}, services of a Docker Swarm behind node agents
 * ({@link SwarmCluster}, docs/cluster.md). The monitor's counters and live limit changes go to the same place.
 */
@ApplicationScoped
public class ContainerFactoryProducer {

    private final HostConfig config;
    private final DataFolder data;
    private final Instance<DockerContainerFactory> single;
    private final Instance<SwarmBackend> swarm;
    private final Instance<DockerStatsSource> singleStats;
    private final Instance<DockerContainerResources> singleResources;
    private final Event<ContainerNodeLostEvent> lost;
    private final Event<ContainerOomEvent> oom;
    private SwarmCluster cluster;

    @Inject
    public ContainerFactoryProducer(HostConfig config, DataFolder data, Instance<DockerContainerFactory> single,
                                    Instance<DockerStatsSource> singleStats, Instance<SwarmBackend> swarm,
                                    Event<ContainerNodeLostEvent> lost, Event<ContainerOomEvent> oom,
                                    Instance<DockerContainerResources> singleResources) {
        this.singleResources = singleResources;
        this.lost = lost;
        this.oom = oom;
        this.singleStats = singleStats;
        this.config = config;
        this.data = data;
        this.single = single;
        this.swarm = swarm;
    }

    @Produces
    @ApplicationScoped
    ContainerFactory containerFactory() {
        return switch (config.cluster().mode()) {
            case "single" -> single.get();
            case "swarm" -> swarmCluster().factory();
            default -> throw new IllegalStateException("logomesh.cluster.mode is single or swarm, not "
                    + config.cluster().mode());
        };
    }

    /** Where the monitor reads counters: this host's cgroup files, or the node agents' in swarm mode. */
    @Produces
    @ApplicationScoped
    StatsSource statsSource() {
        return "swarm".equals(config.cluster().mode()) ? swarmCluster().stats() : singleStats.get();
    }

    /**
     * Where live limit changes ({@code docker update}) are made: this host's engine, or in swarm mode the engine of
     * the node that runs the plugin's container, through its agent ({@link NodeResources}).
     */
    @Produces
    @ApplicationScoped
    ContainerResources containerResources() {
        return "swarm".equals(config.cluster().mode())
                ? swarmCluster().resources(config.limits().pidsLimit()) : singleResources.get();
    }

    /** The swarm's nodes with a linked agent; empty in single-host mode. */
    public Set<String> nodes() {
        SwarmCluster c;
        synchronized (this) {
            c = cluster;
        }
        return c == null ? Set.of() : c.nodes();
    }

    public String mode() {
        return config.cluster().mode();
    }

    private synchronized SwarmCluster swarmCluster() {
        if (cluster == null) {
            cluster = SwarmCluster.start(config, data, swarm.get(), lost::fire, oom::fire);
        }
        return cluster;
    }

    @PreDestroy
    synchronized void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
