package io.logomesh.host.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.logomesh.host.container.ContainerStats;
import io.logomesh.host.container.ContainerStatsJson;
import io.logomesh.host.container.StatsSource;
import io.logomesh.host.container.StatsUnavailableException;
import io.logomesh.host.ipc.relay.AgentLinks;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster mode's counters: a plugin's container runs on a swarm node, so its node's agent reads its cgroup files
 * there and answers over its control link ({@link AgentLinks#stats}); the container id the monitor knows is the
 * plugin's service id. A reading's source says the node ({@code node <id>: cgroup-v1}).
 *
 * <p>The node that answered for a service is remembered and asked alone the next time, so a monitor's poll asks
 * each node once per plugin it runs, not every node for every plugin; every linked node is asked again only when
 * that node has no running container of the service any more (the task moved) or is no longer linked, and after
 * {@link #forget}. Asking every node returns as soon as the one with the container has answered (or every node has,
 * or {@link #TIMEOUT} is over): an agent that is linked but slow delays only the readings of its own plugins.
 */
final class NodeStatsSource implements StatsSource {

    /** How long a reading may take (a node's agent answers in milliseconds). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final AgentLinks links;
    /** The node whose agent last read a service's container. */
    private final ServiceNodes nodes;

    NodeStatsSource(AgentLinks links) {
        this(links, new ServiceNodes());
    }

    NodeStatsSource(AgentLinks links, ServiceNodes nodes) {
        this.links = links;
        this.nodes = nodes;
    }

    @Override
    public ContainerStats read(String serviceId) {
        Optional<String> last = nodes.of(serviceId);
        Optional<Map.Entry<String, JsonNode>> reading = last.isEmpty() ? Optional.empty()
                : links.statsOn(last.get(), "", serviceId, TIMEOUT);
        if (reading.isEmpty()) {
            reading = links.stats("", serviceId, TIMEOUT);
        }
        var answer = reading.orElseThrow(() -> {
            nodes.forget(serviceId);
            return new StatsUnavailableException("no node agent has a running container of service " + serviceId);
        });
        nodes.ranOn(serviceId, answer.getKey());
        try {
            return ContainerStatsJson.fromJson(answer.getValue(), "node " + answer.getKey() + ": ");
        } catch (IllegalArgumentException e) {
            throw new StatsUnavailableException("node " + answer.getKey() + " sent " + e.getMessage());
        }
    }

    @Override
    public void forget(String serviceId) {
        nodes.forget(serviceId);
    }
}
