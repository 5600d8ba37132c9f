package io.logomesh.host.ipc;

import io.logomesh.host.PluginHostException;

/** The plugin did not connect (or answer) within the allowed time. */
public class IpcTimeoutException extends PluginHostException {

    public IpcTimeoutException(String message) {
        super(message);
    }

    public IpcTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "ipc_timeout";
    }
}
