package io.logomesh.host.monitor;

import io.logomesh.host.PluginHostException;

/** The plugin has no running container, so there is nothing to measure. */
public class PluginNotRunningException extends PluginHostException {

    private final String state;

    public PluginNotRunningException(String pluginId, String state) {
        super("plugin '" + pluginId + "' is not running (state " + state + ")");
        this.state = state;
    }

    public String state() {
        return state;
    }

    @Override
    public String code() {
        return "not_running";
    }
}
