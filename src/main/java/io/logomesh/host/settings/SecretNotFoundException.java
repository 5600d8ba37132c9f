package io.logomesh.host.settings;

import io.logomesh.host.PluginHostException;

/** No secret of that name is stored for the plugin (404 {@code secret_not_found}). */
public class SecretNotFoundException extends PluginHostException {

    public SecretNotFoundException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "secret_not_found";
    }
}
