package io.logomesh.host.container;

/**
 * The node a plugin must run on (cluster mode: the one holding its {@code /data}) is not available: down, drained
 * or paused in the swarm, or its agent is not linked. The plugin cannot start anywhere else; the service's side,
 * not the plugin's: with policy {@code on-failure} it waits RESTARTING with the reason {@code node_unavailable},
 * tried again on a back-off of its own without spending its crash budget, and starts once the node is back (or an
 * operator deactivates or uninstalls it); with {@code never} it is FAILED {@code node_unavailable}. Answered 503
 * {@code node_unavailable} with {@code Retry-After}.
 */
public class NodeUnavailableException extends ContainerEngineException {

    /** The {@code Retry-After} of the answer: the plugin's next try is at most this far off (its wait's cap). */
    public static final long RETRY_AFTER_SECONDS = 30;

    public NodeUnavailableException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "node_unavailable";
    }
}
