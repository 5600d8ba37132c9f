package io.logomesh.host.container;

import io.logomesh.host.EngineReason;
import io.logomesh.host.PluginHostException;

/**
 * The container engine does not answer (not running, socket gone, connection refused), or, in cluster mode, the
 * nodes it would run on are not ready ({@link NodeRefusedException}): the system's side, not the plugin's; a
 * plugin that met it is started again by its restart policy without counting it.
 */
public class ContainerEngineException extends PluginHostException {

    public ContainerEngineException(Throwable cause) {
        super("the Docker engine does not answer (" + EngineReason.of(rootMessage(cause)) + ")", cause);
    }

    /** For a subclass whose message says what is away in its own words. */
    protected ContainerEngineException(String message) {
        super(message);
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
        return root.getMessage() == null ? "no answer" : root.getMessage(); // never a class name to a caller
    }
}
