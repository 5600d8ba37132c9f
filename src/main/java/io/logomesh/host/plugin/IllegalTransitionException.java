package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** The lifecycle does not allow the requested operation in the plugin's current state. */
public class IllegalTransitionException extends PluginHostException {

    private final PluginState current;

    public IllegalTransitionException(String pluginId, PluginState current, String operation) {
        this(pluginId, current, operation, "");
    }

    protected IllegalTransitionException(String pluginId, PluginState current, String operation, String more) {
        super("cannot " + operation + " plugin " + pluginId + " while it is " + current + more);
        this.current = current;
    }

    /** The state the plugin is in. */
    public PluginState current() {
        return current;
    }

    @Override
    public String code() {
        return "illegal_transition";
    }
}
