package io.logomesh.host.ipc.relay;

import io.logomesh.host.PluginHostException;

/**
 * An agent could not reach the control plane's relay: the TCP connect failed or timed out, or the TLS
 * handshake failed (e.g. the server's certificate is not from the cluster CA or does not name the address
 * connected to). The cause says which.
 */
public class RelayConnectException extends PluginHostException {

    public RelayConnectException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "relay_connect_failed";
    }
}
