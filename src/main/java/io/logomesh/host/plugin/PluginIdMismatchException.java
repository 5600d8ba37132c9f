package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** An upgrade's bundle declares another id than the plugin it was sent to (400 {@code plugin_id_mismatch}). */
public class PluginIdMismatchException extends PluginHostException {

    public PluginIdMismatchException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "plugin_id_mismatch";
    }
}
