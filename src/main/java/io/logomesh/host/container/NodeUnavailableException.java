package io.logomesh.host.container;

/**
 * The node a plugin must run on (cluster mode: the one holding its {@code /data}) is not available: down, drained
 * or paused in the swarm, or its agent is not linked. The plugin cannot start anywhere else; it stays down until the
 * node is back (or an operator uninstalls it). Answered 503 {@code node_unavailable}.
 */
public class NodeUnavailableException extends ContainerLaunchException {

    public NodeUnavailableException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "node_unavailable";
    }
}
