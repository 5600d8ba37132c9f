package io.logomesh.host.cluster;

import io.logomesh.host.container.ContainerStats;
import io.logomesh.host.container.ContainerStatsJson;
import io.logomesh.host.container.StatsSource;
import io.logomesh.host.container.StatsUnavailableException;
import io.logomesh.host.ipc.relay.AgentLinks;

import java.time.Duration;

/**
 * Cluster mode's counters: a plugin's container runs on a swarm node, so its node's agent reads its cgroup files
 * there and answers over its control link ({@link AgentLinks#stats}); the container id the monitor knows is the
 * plugin's service id. A reading's source says the node ({@code node <id>: cgroup-v1}).
 */
final class NodeStatsSource implements StatsSource {

    /** How long a reading may take (a node's agent answers in milliseconds). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final AgentLinks links;

    NodeStatsSource(AgentLinks links) {
        this.links = links;
    }

    @Override
    public ContainerStats read(String serviceId) {
        var answer = links.stats("", serviceId, TIMEOUT).orElseThrow(() ->
                new StatsUnavailableException("no node agent has a running container of service " + serviceId));
        try {
            return ContainerStatsJson.fromJson(answer.getValue(), "node " + answer.getKey() + ": ");
        } catch (IllegalArgumentException e) {
            throw new StatsUnavailableException("node " + answer.getKey() + " sent " + e.getMessage());
        }
    }
}
