package io.logomesh.host.ipc;

import io.logomesh.host.PluginHostException;

/**
 * A frame could not be queued for the plugin because its connection's outbox is full (the
 * plugin reads more slowly than the host writes to it). Nothing was sent; the caller may try
 * again later (the REST layer answers 429).
 */
public class IpcBackpressureException extends PluginHostException {

    public IpcBackpressureException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "busy";
    }
}
