package io.logomesh.host.plugin;

import java.time.Instant;

/**
 * Cluster mode: the node that ran the plugin was lost, the swarm placed its task on another node, and the host
 * started the plugin on that task's connection, keeping its service ({@link ConnectionLoss#MOVED}); audited
 * {@code moved} with an alert naming both nodes. Not a restart: the restart policy counts nothing for it.
 *
 * @param pluginId the plugin
 * @param fromNode the node it ran on (lost)
 * @param toNode   the node its task runs on now ({@code unknown} if the manager did not say)
 * @param tookMs   from the end of its old connection to ACTIVE again, in milliseconds
 * @param at       when it was ACTIVE again
 */
public record PluginMovedEvent(String pluginId, String fromNode, String toNode, long tookMs, Instant at) {
}
