package io.logomesh.host.ipc.relay;

import io.logomesh.host.PluginHostException;

/** The relay server could not listen on its address (in use, not local, not permitted). */
public class RelayBindException extends PluginHostException {

    public RelayBindException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "relay_bind_failed";
    }
}
