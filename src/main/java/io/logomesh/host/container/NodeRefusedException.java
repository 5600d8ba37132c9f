package io.logomesh.host.container;

/**
 * Cluster mode: no swarm node is ready to run the plugin, because no node agent is linked, or every linked one
 * refused or did not answer the order to prepare it. The service's side, like an engine that does not answer
 * (503, retried by the plugin's restart policy without counting it); the message names the nodes and how each
 * failed in a few words, never what the agent or its engine said (that goes to the host's log).
 */
public class NodeRefusedException extends ContainerEngineException {

    /** The {@code Retry-After} of the answer: an agent reconnects, and the control plane gives new workers one, within 5 s. */
    public static final long RETRY_AFTER_SECONDS = 5;

    public NodeRefusedException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "node_refused";
    }
}
