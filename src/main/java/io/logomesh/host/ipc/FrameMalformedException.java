package io.logomesh.host.ipc;

import io.logomesh.host.PluginHostException;

/** A frame violates the framing rules, e.g. it announces a zero-length payload. */
public class FrameMalformedException extends PluginHostException {

    public FrameMalformedException(String message) {
        super(message);
    }

    public FrameMalformedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "frame_malformed";
    }
}
