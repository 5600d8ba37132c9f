package io.logomesh.host.settings;

import io.logomesh.host.PluginHostException;

/**
 * A secret cannot be stored: its name does not match {@link SecretStore#NAME_PATTERN}, its value is
 * empty or past {@link SecretStore#MAX_VALUE_BYTES}, or the plugin holds {@link SecretStore#MAX_SECRETS}
 * already. Code {@code secret_invalid} or {@code secret_limit}; the message never carries the value.
 */
public class SecretRefusedException extends PluginHostException {

    private final String code;

    public SecretRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
