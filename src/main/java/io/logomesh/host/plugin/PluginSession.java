package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.ipc.PluginChannel;
import io.logomesh.host.ipc.PluginEndpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a plugin: its container, its IPC endpoint and the live connection to the
 * runtime inside. A session ends once; a plugin that is restarted gets a new session.
 */
final class PluginSession {

    private final PluginEndpoint endpoint;
    private final PluginContainer container;
    private final PluginChannel channel;
    private final Instant startedAt = Instant.now();
    private volatile boolean ending;

    PluginSession(PluginEndpoint endpoint, PluginContainer container, PluginChannel channel) {
        this.endpoint = endpoint;
        this.container = container;
        this.channel = channel;
    }

    String containerId() {
        return container.id();
    }

    Instant startedAt() {
        return startedAt;
    }

    /** Whether the host itself is ending this session (so a closed connection is expected). */
    boolean isEnding() {
        return ending;
    }

    boolean isConnected() {
        return channel.isOpen();
    }

    PluginContainer container() {
        return container;
    }

    /** Sends a notification to the runtime; false when the connection is gone or the frame too large. */
    boolean tell(String method, ObjectNode params) {
        try {
            channel.notify(method, params);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    CompletableFuture<JsonNode> call(String method, ObjectNode params) {
        return channel.request(method, params);
    }

    /** Asks the runtime to exit, then stops (SIGTERM, SIGKILL after grace) and removes the container. */
    void end(Duration grace) {
        ending = true;
        if (channel.isOpen()) {
            try {
                channel.notify("shutdown", JsonNodeFactory.instance.objectNode());
            } catch (RuntimeException e) {
                // the connection went away meanwhile; stopping the container is what matters
            }
        }
        container.stop(grace);
        container.remove();
        channel.close();
        endpoint.close();
    }

    /** After the connection closed by itself: how the container ended, then clean up. */
    String endAfterCrash(Duration wait, Duration grace) {
        ending = true;
        Optional<ContainerExit> exit = container.awaitExit(wait);
        String reason = exit.map(e -> e.running() ? "disconnected" : e.reason()).orElse("vanished");
        container.stop(grace);
        container.remove();
        endpoint.close();
        return reason;
    }
}
