package io.logomesh.host.prewarm;

import io.logomesh.host.PluginHostException;

/** A cell answered a plugin's request before any plugin took it (nothing in it may call the host yet). */
final class CellRefusedException extends PluginHostException {

    CellRefusedException() {
        super("this runtime serves no plugin yet");
    }

    @Override
    public String code() {
        return "not_assigned";
    }
}
