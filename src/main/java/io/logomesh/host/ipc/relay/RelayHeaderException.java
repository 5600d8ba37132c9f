package io.logomesh.host.ipc.relay;

import io.logomesh.host.PluginHostException;

/**
 * The first line of a relay connection is not a header this host speaks (wrong magic, version or kind, a bad
 * id, not ASCII, too long, or it ended early). A refusal, not a fault: no stack trace is taken. The message
 * never repeats the peer's bytes.
 */
public class RelayHeaderException extends PluginHostException {

    public RelayHeaderException(String message) {
        super(message, false);
    }

    @Override
    public String code() {
        return "relay_header_invalid";
    }
}
