package io.logomesh.host.api;

import io.logomesh.host.PluginHostException;

/** A request the API cannot make sense of (missing field, wrong type). */
public class InvalidRequestException extends PluginHostException {

    public InvalidRequestException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "invalid_request";
    }
}
