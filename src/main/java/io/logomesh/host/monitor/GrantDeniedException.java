package io.logomesh.host.monitor;

import io.logomesh.host.PluginHostException;

/** A resource grant (or its release) was refused; the message says why. */
public class GrantDeniedException extends PluginHostException {

    public GrantDeniedException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "denied";
    }
}
