package io.logomesh.host.messaging;

import io.logomesh.host.PluginHostException;

/**
 * A message or event the host did not deliver, with the error code the sender's call fails with:
 * {@code not_found}, {@code not_active}, {@code no_handler}, {@code denied}, {@code timeout},
 * {@code too_large}, {@code rate_limited}, {@code busy}, {@code bad_request}, or the receiver's own
 * error code passed through.
 */
public class MessagingException extends PluginHostException {

    private final String code;

    public MessagingException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
