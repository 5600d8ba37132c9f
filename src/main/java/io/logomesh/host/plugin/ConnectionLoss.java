package io.logomesh.host.plugin;

import io.logomesh.host.container.ContainerPlacement;

import java.time.Duration;
import java.util.Optional;

/**
 * What the host makes of a plugin's connection that ended without the host asking for it (docs/cluster.md, "What
 * happens when a worker is lost"). In cluster mode a connection also ends when the node the plugin's task ran on is
 * lost: the swarm keeps the service and places its task on another node, whose runtime connects to the same
 * endpoint through that node's agent. Such a plugin is {@link #MOVED}: the host waits, bounded, for that connection
 * and starts the plugin on it, keeping the service. Anything else {@link #ENDED} the run, and the restart policy
 * takes over as on one host.
 *
 * <p>Moved only when every one of these holds: the wait is on ({@code logomesh.cluster.reconnect-timeout} above 0);
 * the container is placed by a swarm (single host: never); no node's engine reported a container of the service
 * ended (a crash, an exit or an OOM kill on a live node ends the run); the service still has a task meant to run;
 * and the node the task ran on is lost (its agent's link gone, or the manager no longer has it ready). The last one
 * keeps a plugin from dodging its restart policy: a runtime that drops its connection, or dials its own socket again,
 * on a node that is up is ended like a crash.
 */
enum ConnectionLoss {
    /** The plugin's node was lost and the swarm places its task elsewhere: wait for that task to connect. */
    MOVED,
    /** The plugin's run ended (crash, exit, OOM kill, a connection dropped on a live node): the restart policy. */
    ENDED;

    /** The decision for a connection that ended while the container was placed as {@code placement} says. */
    static ConnectionLoss of(Duration reconnectTimeout, Optional<ContainerPlacement> placement) {
        if (reconnectTimeout == null || reconnectTimeout.isZero() || reconnectTimeout.isNegative()
                || placement.isEmpty()) {
            return ENDED;
        }
        ContainerPlacement p = placement.get();
        return !p.ended() && p.live() && p.nodeLost() ? MOVED : ENDED;
    }

    /**
     * While a moved plugin's new connection is awaited: whether the wait is pointless now, because a node's engine
     * reported that a container of its service ended (or nothing can be known). Not whether a task is meant to run:
     * while the swarm replaces the task, the manager may for a moment have none (the old one shut down, the new one
     * waiting out its restart delay); the wait's own bound covers a service that never gets one.
     */
    static boolean givesUp(Optional<ContainerPlacement> placement) {
        return placement.isEmpty() || placement.get().ended();
    }
}
