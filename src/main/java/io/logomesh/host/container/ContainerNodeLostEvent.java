package io.logomesh.host.container;

/**
 * Cluster mode: the node that ran a plugin's container was lost (its node agent fell silent or its link ended);
 * the swarm places the plugin elsewhere, and the host starts it on that task's connection, keeping its service
 * ({@code logomesh.cluster.reconnect-timeout}), or else by its restart policy.
 *
 * @param pluginId the plugin whose task ran on the node
 * @param nodeId   the swarm node id
 * @param reason   how the node was lost, e.g. {@code silent for 4000 ms}
 */
public record ContainerNodeLostEvent(String pluginId, String nodeId, String reason) {
}
