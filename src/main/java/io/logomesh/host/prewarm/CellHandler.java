package io.logomesh.host.prewarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.ipc.IncomingHandler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A cell's side of its socket: refuses requests and drops notifications until a plugin takes the cell, then
 * forwards everything to that plugin's handler under the plugin's id. The id comes from which socket the bytes
 * arrived on (this cell's, given to one plugin once), never from a frame.
 */
final class CellHandler implements IncomingHandler {

    private record Owner(String pluginId, IncomingHandler handler) {
    }

    private final Runnable onEarlyClose;
    private volatile Owner owner;

    /** @param onEarlyClose run when the connection closes before a plugin took the cell (the pool drops it) */
    CellHandler(Runnable onEarlyClose) {
        this.onEarlyClose = onEarlyClose;
    }

    /** Hands the connection to a plugin; once only. */
    void handTo(String pluginId, IncomingHandler handler) {
        if (owner != null) {
            throw new IllegalStateException("a cell serves one plugin only");
        }
        owner = new Owner(pluginId, handler);
    }

    @Override
    public CompletionStage<JsonNode> onRequest(String channelId, String method, ObjectNode params) {
        Owner o = owner;
        return o == null ? CompletableFuture.failedFuture(new CellRefusedException())
                : o.handler().onRequest(o.pluginId(), method, params);
    }

    @Override
    public boolean servesInline(String method) {
        Owner o = owner;
        return o == null || o.handler().servesInline(method);
    }

    @Override
    public void onNotification(String channelId, String method, ObjectNode params) {
        Owner o = owner;
        if (o != null) {
            o.handler().onNotification(o.pluginId(), method, params);
        }
    }

    @Override
    public void onClose(String channelId, String reason) {
        Owner o = owner;
        if (o == null) {
            onEarlyClose.run();
        } else {
            o.handler().onClose(o.pluginId(), reason);
        }
    }
}
