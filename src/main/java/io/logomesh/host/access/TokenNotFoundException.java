package io.logomesh.host.access;

import io.logomesh.host.PluginHostException;

/** No token has this id (or it was revoked). */
public class TokenNotFoundException extends PluginHostException {

    public TokenNotFoundException(String id) {
        super("no token with id " + id);
    }

    @Override
    public String code() {
        return "token_not_found";
    }
}
