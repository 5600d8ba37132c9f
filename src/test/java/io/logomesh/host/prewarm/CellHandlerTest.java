package io.logomesh.host.prewarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.ipc.IncomingHandler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CellHandlerTest {

    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

    /** Records which plugin id each call arrived under. */
    private static final class Recorder implements IncomingHandler {
        final List<String> seen = new ArrayList<>();

        @Override
        public CompletionStage<JsonNode> onRequest(String pluginId, String method, ObjectNode params) {
            seen.add("request " + pluginId + " " + method);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onNotification(String pluginId, String method, ObjectNode params) {
            seen.add("notification " + pluginId + " " + method);
        }

        @Override
        public void onClose(String pluginId, String reason) {
            seen.add("close " + pluginId);
        }
    }

    @Test
    void shouldRefuseRequestsAndDropNotificationsUntilAPluginTakesTheCell() {
        AtomicInteger early = new AtomicInteger();
        CellHandler handler = new CellHandler(early::incrementAndGet);
        assertThat(handler.onRequest("cell-python-1", "log", EMPTY).toCompletableFuture())
                .isCompletedExceptionally();
        handler.onNotification("cell-python-1", "log", EMPTY);
        handler.onClose("cell-python-1", "eof");
        assertThat(early).hasValue(1);
    }

    @Test
    void shouldForwardEverythingUnderThePluginsIdOnceTaken() {
        Recorder plugin = new Recorder();
        AtomicInteger early = new AtomicInteger();
        CellHandler handler = new CellHandler(early::incrementAndGet);
        handler.handTo("echo", plugin);
        handler.onRequest("cell-python-1", "sendMessage", EMPTY);
        handler.onNotification("cell-python-1", "log", EMPTY);
        handler.onClose("cell-python-1", "eof");
        assertThat(plugin.seen).containsExactly("request echo sendMessage", "notification echo log", "close echo");
        assertThat(early).hasValue(0);
    }

    @Test
    void shouldServeOnePluginOnly() {
        CellHandler handler = new CellHandler(() -> { });
        handler.handTo("a", new Recorder());
        assertThatThrownBy(() -> handler.handTo("b", new Recorder())).isInstanceOf(IllegalStateException.class);
    }
}
