package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** No plugin with that id is installed. */
public class PluginNotFoundException extends PluginHostException {

    public PluginNotFoundException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "plugin_not_found";
    }
}
