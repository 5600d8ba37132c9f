package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.ipc.IncomingHandler;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * Serves what one plugin's runtime sends to the host. The plugin id comes from the
 * socket the frame arrived on, so a plugin can only ever speak for itself. A {@code log} line that the
 * rate limit lets through, with the plugin's secret values cut out, goes to the host's log and to the handler of
 * {@code log} notifications, the plugin's own log ({@link PluginLogBook}).
 */
final class PluginRequestRouter implements IncomingHandler {

    private static final Logger LOG = Logger.getLogger("io.logomesh.plugin");
    private static final int MAX_LOG_CHARS = 4096;
    /** Plugin log lines per second let into the host's log (a burst of twice that); the rest are counted. */
    static final int LOG_LINES_PER_SECOND = 50;

    private final PluginHandle handle;
    private final HostCalls calls;
    private final UnaryOperator<String> redact;
    private final LogRateLimiter logLimit = new LogRateLimiter(LOG_LINES_PER_SECOND, 2 * LOG_LINES_PER_SECOND);

    /** @param redact cuts the plugin's secret values out of a text it sent ({@link PluginHandle#redact}) */
    PluginRequestRouter(PluginHandle handle, HostCalls calls, UnaryOperator<String> redact) {
        this.handle = handle;
        this.calls = calls;
        this.redact = redact;
    }

    @Override
    public CompletionStage<JsonNode> onRequest(String pluginId, String method, ObjectNode params) {
        return calls.forRequest(method)
                .map(h -> h.onRequest(handle, method, params))
                .orElseGet(() -> CompletableFuture.failedFuture(new HostCallUnsupportedException(method)));
    }

    @Override
    public boolean servesInline(String method) {
        return calls.forRequest(method).map(h -> h.inlineRequests().contains(method)).orElse(false);
    }

    @Override
    public void onNotification(String pluginId, String method, ObjectNode params) {
        if ("log".equals(method)) {
            long dropped = logLimit.admit(System.nanoTime());
            if (dropped < 0) {
                return;
            }
            if (dropped > 0) {
                LOG.warnf("[%s] %d log lines dropped (more than %d a second)", pluginId, dropped, LOG_LINES_PER_SECOND);
            }
            String level = params.path("level").asText("info");
            // its secrets' values cut out first (a plugin that logs its API key does not publish it), for both logs
            String raw = redact.apply(params.path("message").asText(""));
            params.put("message", raw);
            // one escaped line, capped: a plugin cannot forge host log lines or drive the terminal
            String message = PluginLogText.sanitise(raw, MAX_LOG_CHARS);
            switch (level) {
                case "error" -> LOG.errorf("[%s] %s", pluginId, message);
                case "warn" -> LOG.warnf("[%s] %s", pluginId, message);
                case "debug" -> LOG.debugf("[%s] %s", pluginId, message);
                default -> LOG.infof("[%s] %s", pluginId, message);
            }
            // and into the plugin's own log (GET /plugins/{id}/logs): plugin/PluginLogBook
            calls.forNotification(method).ifPresent(h -> h.onNotification(handle, method, params));
        } else if ("ready".equals(method)) {
            LOG.debugf("[%s] runtime ready: %s", pluginId, params);
        } else {
            calls.forNotification(method).ifPresentOrElse(h -> h.onNotification(handle, method, params),
                    () -> LOG.debugf("[%s] ignored notification %s", pluginId, PluginLogText.sanitise(method, 64)));
        }
    }

    @Override
    public void onClose(String pluginId, String reason) {
        handle.onConnectionClosed();
    }
}
