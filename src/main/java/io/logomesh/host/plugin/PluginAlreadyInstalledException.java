package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** A plugin with that id is installed already. */
public class PluginAlreadyInstalledException extends PluginHostException {

    public PluginAlreadyInstalledException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "plugin_already_installed";
    }
}
