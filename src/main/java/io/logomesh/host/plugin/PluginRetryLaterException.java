package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/**
 * A plugin cannot take an action now but may shortly: refused at once, with the seconds after which a
 * retry may succeed (the {@code Retry-After} header). {@link PluginBusyException} (429) and
 * {@link PluginRestartingException} (503) say why. An answer, not a fault: it carries no stack trace (one would
 * be most of the cost of refusing thousands of calls a second under overload).
 */
public abstract class PluginRetryLaterException extends PluginHostException {

    private final long retryAfterSeconds;

    protected PluginRetryLaterException(String message, long retryAfterSeconds) {
        super(message, false);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** Seconds after which a retry may succeed (the {@code Retry-After} header), at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
