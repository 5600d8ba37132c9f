package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** The plugin's container ended while it was being called. */
public class PluginUnavailableException extends PluginHostException {

    public PluginUnavailableException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "plugin_unavailable";
    }
}
