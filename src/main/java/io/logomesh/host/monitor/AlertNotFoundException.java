package io.logomesh.host.monitor;

import io.logomesh.host.PluginHostException;

/** No alert with that id for that plugin. */
public class AlertNotFoundException extends PluginHostException {

    public AlertNotFoundException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "alert_not_found";
    }
}
