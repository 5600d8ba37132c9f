package io.logomesh.host.ipc.relay;

import io.logomesh.host.PluginHostException;

/**
 * The cluster CA or a relay identity could not be created, stored, read or used: files missing, unreadable,
 * open to other users, or not matching each other (the host's fault or its operator's, never a plugin's).
 */
public class RelayCredentialException extends PluginHostException {

    public RelayCredentialException(String message) {
        super(message);
    }

    public RelayCredentialException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "relay_credential_failed";
    }
}
