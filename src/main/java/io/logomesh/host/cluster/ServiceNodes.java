package io.logomesh.host.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which node last said it runs a plugin service's container (it answered a {@code stats} or an {@code update}
 * order for it): the node the next order for that service goes to first, alone, so a slow or silent agent elsewhere
 * never delays it. A hint, not the truth: a node that no longer has the container answers {@code absent}, and the
 * order then goes to every linked node. Shared by {@link NodeStatsSource} and {@link NodeResources}.
 */
final class ServiceNodes {

    /** Service id → node id. */
    private final Map<String, String> nodes = new ConcurrentHashMap<>();

    Optional<String> of(String serviceId) {
        return Optional.ofNullable(nodes.get(serviceId));
    }

    void ranOn(String serviceId, String nodeId) {
        nodes.put(serviceId, nodeId);
    }

    /** The node no longer has it (or no node does), or the service is gone. */
    void forget(String serviceId) {
        nodes.remove(serviceId);
    }
}
