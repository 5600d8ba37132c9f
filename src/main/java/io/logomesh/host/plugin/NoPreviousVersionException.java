package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** A rollback was asked for a plugin that was never upgraded (409 {@code no_previous_version}). */
public class NoPreviousVersionException extends PluginHostException {

    public NoPreviousVersionException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "no_previous_version";
    }
}
