package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/**
 * A plugin cannot take another action now: as many as its {@code maxConcurrency} run inside it and its
 * admission queue in the host is full, or the call could not start within its deadline, or the connection
 * to it cannot take another frame. Answered at once (429 {@code busy}); the caller may retry after
 * {@link #retryAfterSeconds()}.
 */
public class PluginBusyException extends PluginHostException {

    private final long retryAfterSeconds;

    public PluginBusyException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public String code() {
        return "busy";
    }

    /** Seconds after which a retry may succeed (the {@code Retry-After} header), at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
