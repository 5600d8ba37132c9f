package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Serves some of the calls a plugin's runtime makes to the host (PROTOCOL.md, "Plugin → host").
 * Implementations are CDI beans; {@link HostCalls} finds them and routes each method name to the
 * one bean that claims it. The caller is the plugin whose socket the frame arrived on, never an
 * id taken from the frame.
 */
public interface HostCallHandler {

    /** Request methods served here (each answered with a result or an error). */
    Set<String> requests();

    /**
     * Request methods among {@link #requests()} whose {@link #onRequest} never blocks (no I/O, no
     * waiting; blocking work such as auditing handed to another thread): served on the plugin's IPC
     * reader, one thread hop fewer. Their returned stage may complete on any thread.
     */
    default Set<String> inlineRequests() {
        return Set.of();
    }

    /** Notification methods served here (no answer). */
    default Set<String> notifications() {
        return Set.of();
    }

    /**
     * Answers a request. A failed stage with a {@link io.logomesh.host.PluginHostException} becomes
     * the error response with that exception's {@code code()} and message.
     */
    CompletionStage<JsonNode> onRequest(PluginHandle caller, String method, ObjectNode params);

    /** Takes a notification; must not block for long (it runs on the connection's reader). */
    default void onNotification(PluginHandle caller, String method, ObjectNode params) {
    }
}
