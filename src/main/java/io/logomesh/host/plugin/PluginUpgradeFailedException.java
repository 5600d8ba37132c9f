package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/**
 * An upgrade's new version did not start (or the running version ended meanwhile): nothing changed, the old
 * version keeps serving. Code {@code upgrade_failed} (409); the message says why.
 */
public class PluginUpgradeFailedException extends PluginHostException {

    private final String pluginId;

    public PluginUpgradeFailedException(String pluginId, String message) {
        super("upgrade of plugin " + pluginId + " failed: " + message);
        this.pluginId = pluginId;
    }

    public String pluginId() {
        return pluginId;
    }

    @Override
    public String code() {
        return "upgrade_failed";
    }
}
