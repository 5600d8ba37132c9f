package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** The plugin could not be started: its container, initialize or activate failed. */
public class PluginActivationException extends PluginHostException {

    private final String reason;

    public PluginActivationException(String pluginId, String reason) {
        super("plugin " + pluginId + " failed to start: " + reason);
        this.reason = reason;
    }

    /** The failure reason recorded on the plugin (e.g. {@code timeout}, {@code exited:1}, {@code load_failed: ...}). */
    public String reason() {
        return reason;
    }

    @Override
    public String code() {
        return "activation_failed";
    }
}
