package io.logomesh.host.container;

import io.logomesh.host.PluginHostException;

/** The container engine does not answer (not running, socket gone, connection refused). */
public class ContainerEngineException extends PluginHostException {

    public ContainerEngineException(Throwable cause) {
        super("the Docker engine does not answer (" + rootMessage(cause) + ")", cause);
    }

    @Override
    public String code() {
        return "engine_unavailable";
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
