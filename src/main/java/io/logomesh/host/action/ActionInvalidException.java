package io.logomesh.host.action;

import io.logomesh.host.PluginHostException;

/** An action request without a usable shape (no type, a type or id too long): 400 {@code invalid_request}. */
public class ActionInvalidException extends PluginHostException {

    public ActionInvalidException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "invalid_request";
    }
}
