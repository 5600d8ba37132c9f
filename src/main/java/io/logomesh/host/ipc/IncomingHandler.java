package io.logomesh.host.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletionStage;

/**
 * Serves what a plugin sends to the host. The {@code pluginId} is always the endpoint's
 * (which socket the bytes arrived on), never anything the frame claims.
 *
 * <p>Threading: {@link #onRequest} is called on a fresh virtual thread per request, so it
 * may block (at most {@link IpcLimits#maxInFlightRequests()} run at once per connection; the
 * stage's completion only queues the answer, so it may complete on any thread);
 * {@link #onNotification} and {@link #onClose} are called, in arrival order, on one virtual
 * thread per connection (a handler slow on notifications fills that connection's bounded queue,
 * and a queue full for {@link IpcLimits#notificationTimeout()} cuts that plugin off, nothing else).
 */
public interface IncomingHandler {

    /**
     * Answers a plugin request. The stage's value is the response {@code result}
     * ({@code null} becomes JSON null). A thrown or failed-stage
     * {@link io.logomesh.host.PluginHostException} becomes an error response with its
     * {@code code()} and message; any other exception becomes {@code internal} /
     * {@code internal error} (and is logged).
     */
    CompletionStage<JsonNode> onRequest(String pluginId, String method, ObjectNode params);

    /**
     * Whether {@link #onRequest} for this method returns without blocking (no I/O, no waiting, no lock
     * held by slow code): it is then called on the connection's reader thread, saving a thread hop.
     * Default false: a fresh virtual thread per request.
     */
    default boolean servesInline(String method) {
        return false;
    }

    /** Receives a plugin notification (including {@code ready} and {@code log}). */
    void onNotification(String pluginId, String method, ObjectNode params);

    /**
     * Called exactly once when a connection closes, for whatever reason (peer EOF,
     * protocol violation, {@link PluginChannel#close()}, replacement by a newer
     * connection), after every notification received before it.
     */
    default void onClose(String pluginId, String reason) {
    }
}
