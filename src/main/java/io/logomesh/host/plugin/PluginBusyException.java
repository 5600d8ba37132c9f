package io.logomesh.host.plugin;

/**
 * A plugin cannot take another action now: as many as its {@code maxConcurrency} run inside it and its
 * admission queue in the host is full, or the call could not start within its deadline, or the connection
 * to it cannot take another frame. Answered at once (429 {@code busy}); the caller may retry after
 * {@link #retryAfterSeconds()}.
 */
public class PluginBusyException extends PluginRetryLaterException {

    public PluginBusyException(String message, long retryAfterSeconds) {
        super(message, retryAfterSeconds);
    }

    @Override
    public String code() {
        return "busy";
    }
}
