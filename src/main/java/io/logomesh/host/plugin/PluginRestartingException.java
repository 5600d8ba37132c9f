package io.logomesh.host.plugin;

/**
 * The plugin's container is being replaced (an action overran its limit): actions are refused at once
 * (503 {@code restarting}) instead of waiting for the fresh container; the caller may retry after
 * {@link #retryAfterSeconds()}. Also what an action gets whose container was replaced while it ran.
 */
public class PluginRestartingException extends PluginRetryLaterException {

    public PluginRestartingException(String message, long retryAfterSeconds) {
        super(message, retryAfterSeconds);
    }

    @Override
    public String code() {
        return "restarting";
    }
}
