package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/** A plugin asked the host for something this host version does not serve. */
public class HostCallUnsupportedException extends PluginHostException {

    public HostCallUnsupportedException(String method) {
        super("'" + method + "' is not served by this host");
    }

    @Override
    public String code() {
        return "unsupported";
    }
}
