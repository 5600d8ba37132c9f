package io.logomesh.host.ipc.relay;

import io.logomesh.host.PluginHostException;

/**
 * A node agent refused or did not answer an order (prepare, forget). Its message names the nodes and how each
 * failed in a few words ({@code refused}, {@code no answer}, {@code link lost}); what the agents said is in
 * {@link #detail()}, for the host's log only, never for a client.
 */
public class AgentOrderException extends PluginHostException {

    private final String detail;

    public AgentOrderException(String message) {
        this(message, message);
    }

    public AgentOrderException(String message, String detail) {
        super(message);
        this.detail = detail;
    }

    /** What each agent answered (one line each, bounded): for the host's log. */
    public String detail() {
        return detail;
    }

    @Override
    public String code() {
        return "node_agent_failed";
    }
}
