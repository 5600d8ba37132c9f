package io.logomesh.host.ipc;

import io.logomesh.host.PluginHostException;

/**
 * The plugin answered a host request with an error response. {@link #code()} is the
 * plugin side's code verbatim (e.g. {@code plugin_error}, {@code no_handler},
 * {@code unknown_method}) and the message is the plugin side's message.
 */
public class PluginCallException extends PluginHostException {

    private final String code;

    public PluginCallException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
