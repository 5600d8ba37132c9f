package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** A call that needs a running plugin reached one that is not ACTIVE. */
public class PluginNotActiveException extends PluginHostException {

    private final PluginState current;

    public PluginNotActiveException(String pluginId, PluginState current) {
        super("plugin " + pluginId + " is not active (it is " + current + ")");
        this.current = current;
    }

    public PluginState current() {
        return current;
    }

    @Override
    public String code() {
        return "not_active";
    }
}
