package io.logomesh.host.agent;

import io.logomesh.host.container.CgroupStatsReader;
import io.logomesh.host.container.ContainerStats;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A plugin's counters on this node, straight from the kernel: the cgroup files of its task's container under the
 * node's cgroup hierarchy and its init process' {@code net/dev} under the node's {@code /proc}, both mounted
 * read-only into the agent ({@code SwarmAgentSpec}), read by the same {@link CgroupStatsReader} the single host
 * uses.
 */
final class NodeStats {

    private final NodeContainers engine;
    private final CgroupStatsReader cgroups;

    NodeStats(NodeContainers engine, Path cgroupRoot, Path procRoot) {
        this.engine = engine;
        this.cgroups = new CgroupStatsReader(cgroupRoot, procRoot);
    }

    /** The reading for the service's container, empty when it has none running on this node. */
    Optional<ContainerStats> read(String serviceId) {
        Optional<String> container = engine.containerOf(serviceId);
        if (container.isEmpty()) {
            return Optional.empty();
        }
        Optional<ContainerStats> stats = cgroups.read(container.get(), engine.pidOf(container.get()));
        if (stats.isEmpty()) {
            engine.forget(serviceId, container.get());
        }
        return stats;
    }

    /** A container that ended: its files closed. */
    void ended(String containerId) {
        cgroups.invalidate(containerId);
    }
}
