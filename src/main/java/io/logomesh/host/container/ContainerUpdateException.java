package io.logomesh.host.container;

import io.logomesh.host.PluginHostException;

/** The engine refused to change a running container's limits. */
public class ContainerUpdateException extends PluginHostException {

    public ContainerUpdateException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "update_refused";
    }
}
