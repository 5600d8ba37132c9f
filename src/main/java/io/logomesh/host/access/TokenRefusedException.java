package io.logomesh.host.access;

import io.logomesh.host.PluginHostException;

/** A token request that cannot be served as asked: bad role, bad scope, too many tokens, the initial token. */
public class TokenRefusedException extends PluginHostException {

    private final String code;

    public TokenRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
