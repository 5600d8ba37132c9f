package io.logomesh.host.ipc;

import io.logomesh.host.PluginHostException;

/** The per-plugin socket endpoint could not be created, bound or used (the host's fault, not the plugin's). */
public class IpcEndpointException extends PluginHostException {

    public IpcEndpointException(String message) {
        super(message);
    }

    public IpcEndpointException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "ipc_endpoint_failed";
    }
}
