package io.logomesh.host.permission;

import io.logomesh.host.PluginHostException;

/** A permission call that cannot be served: {@code invalid_permission}, or {@code not_found} for an unknown request. */
public class PermissionException extends PluginHostException {

    private final String code;

    public PermissionException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
