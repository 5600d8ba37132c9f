package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** An action outlived the plugin's maxExecutionTimeMs; its container was replaced. */
public class ActionTimeoutException extends PluginHostException {

    public ActionTimeoutException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "action_timeout";
    }
}
