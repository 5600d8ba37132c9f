package io.logomesh.host.container;

import java.util.Optional;

/**
 * Cluster mode: where a plugin's container runs, as the swarm and the node agents see it now, for telling a plugin
 * whose node was lost (its task placed anew elsewhere) from one whose container ended on its node.
 *
 * @param ranOn     the node the container's task ran on when the host last settled it (at its start, or after a move)
 * @param nodeLost  that node is lost: its agent's link is gone or the manager no longer has it ready
 * @param ended     a node's engine reported that a container of the plugin's service ended (exit or OOM kill)
 * @param live      the service still exists and has a task the swarm means to run
 * @param runsOn    the node whose task of the service runs now and is meant to, if one does
 */
public record ContainerPlacement(String ranOn, boolean nodeLost, boolean ended, boolean live,
                                 Optional<String> runsOn) {
}
