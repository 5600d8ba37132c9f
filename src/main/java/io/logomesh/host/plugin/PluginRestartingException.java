package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/**
 * The plugin's container is being replaced (an action overran its limit): actions are refused at once
 * (503 {@code restarting}) instead of waiting for the fresh container; the caller may retry after
 * {@link #retryAfterSeconds()}. Also what an action gets whose container was replaced while it ran.
 */
public class PluginRestartingException extends PluginHostException {

    private final long retryAfterSeconds;

    public PluginRestartingException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public String code() {
        return "restarting";
    }

    /** Seconds after which a retry may succeed (the {@code Retry-After} header), at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
