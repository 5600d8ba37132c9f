package io.logomesh.host.ipc.relay;

import io.logomesh.host.PluginHostException;

/** A node agent refused or did not answer an order (prepare, forget). */
public class AgentOrderException extends PluginHostException {

    public AgentOrderException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "node_agent_failed";
    }
}
