package io.logomesh.host.ipc;

import io.logomesh.host.PluginHostException;

/** The plugin connection is closed; the message says why (e.g. {@code plugin connection closed}). */
public class IpcClosedException extends PluginHostException {

    public IpcClosedException(String message) {
        super(message);
    }

    public IpcClosedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "ipc_closed";
    }
}
