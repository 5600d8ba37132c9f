package io.logomesh.host.ipc;

import io.logomesh.host.PluginHostException;

/** A frame announces (or would need) more payload bytes than the per-frame cap allows. */
public class FrameTooLargeException extends PluginHostException {

    public FrameTooLargeException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "frame_too_large";
    }
}
