package io.logomesh.host.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.PluginHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(5)
class PluginChannelTest {

    private static final int MAX_FRAME = 1_048_576;

    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordingHandler handler = new RecordingHandler();
    private PluginEndpoint endpoint;
    private TestPlugin plugin;
    private PluginChannel channel;

    @BeforeEach
    void connect(@TempDir Path dir) throws Exception {
        endpoint = PluginEndpoint.open("echo", dir.resolve("echo"), MAX_FRAME, handler, mapper);
        plugin = TestPlugin.connect(endpoint.socketPath(), mapper);
        channel = endpoint.awaitConnection(Duration.ofSeconds(1));
    }

    @AfterEach
    void tearDown() throws Exception {
        plugin.close();
        endpoint.close();
    }

    @Test
    void shouldCompleteReadyWithShimParamsAndPassItOn() throws Exception {
        plugin.sendReady();

        ObjectNode ready = channel.ready().get(1, TimeUnit.SECONDS);

        assertThat(ready.get("runtime").asText()).isEqualTo("nodejs");
        assertThat(ready.get("runtimeVersion").asText()).isEqualTo("22.1.0");
        RecordingHandler.Call passedOn = handler.nextNotification();
        assertThat(passedOn.pluginId()).isEqualTo("echo");
        assertThat(passedOn.method()).isEqualTo("ready");
        assertThat(channel.pluginId()).isEqualTo("echo");
    }

    @Test
    void shouldCorrelateConcurrentRequestsAnsweredOutOfOrder() throws Exception {
        List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            futures.add(CompletableFuture.supplyAsync(() -> n)
                    .thenCompose(x -> channel.request("execute", mapper.createObjectNode().put("n", x))));
        }
        List<JsonNode> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            requests.add(plugin.next());
        }
        assertThat(requests).extracting(r -> r.get("id").asLong()).doesNotHaveDuplicates().allMatch(id -> id >= 1);

        for (JsonNode request : requests.reversed()) {
            plugin.send("{\"id\":" + request.get("id") + ",\"result\":{\"echo\":" + request.at("/params/n") + "}}");
        }

        for (int i = 0; i < 10; i++) {
            assertThat(futures.get(i).get(1, TimeUnit.SECONDS).get("echo").asInt()).isEqualTo(i);
        }
        assertThat(requests.get(0).get("method").asText()).isEqualTo("execute");
        assertThat(channel.stats().framesOut()).isEqualTo(10);
        assertThat(channel.stats().framesIn()).isEqualTo(10);
    }

    @Test
    void shouldFailRequestWithPluginCallExceptionOnErrorResponse() throws Exception {
        CompletableFuture<JsonNode> call = channel.request("execute", mapper.createObjectNode());
        long id = plugin.next().get("id").asLong();

        plugin.send("{\"id\":" + id + ",\"error\":{\"code\":\"plugin_error\",\"message\":\"Error: boom\"}}");

        assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(PluginCallException.class)
                .hasMessage("Error: boom")
                .extracting(e -> ((PluginCallException) e).code()).isEqualTo("plugin_error");
    }

    @Test
    void shouldAnswerPluginRequestWithHandlerResultUnderTheEndpointsPluginId() throws Exception {
        handler.serveWith((id, method, params) -> CompletableFuture.completedFuture(
                mapper.createObjectNode().put("delivered", 2).put("by", id)));

        plugin.send("{\"id\":1,\"method\":\"emit\",\"params\":{\"topic\":\"t\",\"pluginId\":\"someone-else\"}}");

        JsonNode response = plugin.next();
        assertThat(response.get("id").asLong()).isEqualTo(1);
        assertThat(response.at("/result/delivered").asInt()).isEqualTo(2);
        assertThat(response.at("/result/by").asText()).isEqualTo("echo");
        assertThat(handler.nextRequest().method()).isEqualTo("emit");
    }

    @Test
    void shouldAnswerNullWhenHandlerReturnsNothing() throws Exception {
        handler.serveWith((id, method, params) -> null);

        plugin.send("{\"id\":4,\"method\":\"auditLog\",\"params\":{}}");

        assertThat(plugin.next().toString()).isEqualTo("{\"id\":4,\"result\":null}");
    }

    @Test
    void shouldTurnHostExceptionFromHandlerIntoErrorResponseWithItsCode() throws Exception {
        handler.serveWith((id, method, params) -> {
            throw new DeniedException("not allowed to talk to b");
        });
        plugin.send("{\"id\":1,\"method\":\"sendMessage\",\"params\":{}}");
        assertThat(plugin.next().toString())
                .isEqualTo("{\"id\":1,\"error\":{\"code\":\"denied\",\"message\":\"not allowed to talk to b\"}}");

        handler.serveWith((id, method, params) -> CompletableFuture.failedFuture(new DeniedException("later")));
        plugin.send("{\"id\":2,\"method\":\"sendMessage\",\"params\":{}}");
        assertThat(plugin.next().at("/error/message").asText()).isEqualTo("later");
    }

    @Test
    void shouldHideUnexpectedHandlerExceptionsBehindInternalError() throws Exception {
        handler.serveWith((id, method, params) -> {
            throw new IllegalStateException("secret detail");
        });
        plugin.send("{\"id\":1,\"method\":\"getResourceUsage\",\"params\":{}}");
        assertThat(plugin.next().toString())
                .isEqualTo("{\"id\":1,\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}");

        handler.serveWith((id, method, params) -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalArgumentException("async secret");
        }));
        plugin.send("{\"id\":2,\"method\":\"getResourceUsage\",\"params\":{}}");
        assertThat(plugin.next().at("/error/code").asText()).isEqualTo("internal");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldSendEmptyMessageForHostExceptionWithoutOne() throws Exception {
        handler.serveWith((id, method, params) -> {
            throw new DeniedException(null);
        });

        plugin.send("{\"id\":1,\"method\":\"requestPermission\",\"params\":{}}");

        assertThat(plugin.next().toString())
                .isEqualTo("{\"id\":1,\"error\":{\"code\":\"denied\",\"message\":\"\"}}");
    }

    @Test
    void shouldDropAnswerWhenPluginLeftBeforeHandlerFinished() throws Exception {
        CompletableFuture<JsonNode> slow = new CompletableFuture<>();
        handler.serveWith((id, method, params) -> slow);
        plugin.send("{\"id\":1,\"method\":\"sendMessage\",\"params\":{}}");
        handler.nextRequest();

        plugin.close();
        handler.nextClosing();
        slow.complete(mapper.createObjectNode());

        assertThat(channel.stats().framesOut()).isZero();
    }

    @Test
    void shouldCloseWhenWritingToThePluginFails() throws Exception {
        plugin.shutdownInput();

        assertThatThrownBy(() -> {
            for (int i = 0; i < 2_000; i++) { // writes are queued: the failure shows on a later call
                channel.notify("event", mapper.createObjectNode().put("data", "x".repeat(10_000)));
                Thread.sleep(1);
            }
        }).isInstanceOf(IpcClosedException.class).hasMessageStartingWith("write failed: ");
        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.nextClosing().reason()).startsWith("write failed: ");
    }

    @Test
    void shouldAnswerFrameTooLargeWhenHandlerResultExceedsTheCap() throws Exception {
        handler.serveWith((id, method, params) -> CompletableFuture.completedFuture(
                mapper.getNodeFactory().textNode("x".repeat(MAX_FRAME))));

        plugin.send("{\"id\":9,\"method\":\"getResourceUsage\",\"params\":{}}");

        JsonNode response = plugin.next();
        assertThat(response.at("/error/code").asText()).isEqualTo("frame_too_large");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldFailOversizedHostRequestWithoutClosingTheConnection() throws Exception {
        ObjectNode huge = mapper.createObjectNode().put("data", "x".repeat(MAX_FRAME));

        CompletableFuture<JsonNode> call = channel.request("execute", huge);

        assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS)).cause().isInstanceOf(FrameTooLargeException.class);
        assertThatThrownBy(() -> channel.notify("event", huge)).isInstanceOf(FrameTooLargeException.class);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldDropResponseToUnknownId() throws Exception {
        plugin.send("{\"id\":777,\"result\":1}");
        plugin.sendReady();

        channel.ready().get(1, TimeUnit.SECONDS);
        assertThat(channel.stats().unknownResponses()).isEqualTo(1);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldForgetTimedOutRequestSoItsLateResponseIsUnknown() throws Exception {
        CompletableFuture<JsonNode> call = channel.request("execute", mapper.createObjectNode())
                .orTimeout(20, TimeUnit.MILLISECONDS);
        long id = plugin.next().get("id").asLong();
        assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);

        plugin.send("{\"id\":" + id + ",\"result\":1}");
        plugin.sendReady();
        channel.ready().get(1, TimeUnit.SECONDS);

        assertThat(channel.stats().unknownResponses()).isEqualTo(1);
    }

    @Test
    void shouldCloseAndFailPendingWhenFrameIsTooLarge() throws Exception {
        CompletableFuture<JsonNode> call = channel.request("execute", mapper.createObjectNode());

        plugin.sendRaw(ByteBuffer.allocate(4).putInt(2_000_000).flip());

        assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(IpcClosedException.class)
                .hasMessage("frame too large (2000000 > 1048576 bytes)");
        assertThat(handler.nextClosing().reason()).isEqualTo("frame too large (2000000 > 1048576 bytes)");
        assertThat(plugin.awaitEof()).isTrue();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void shouldCloseOnZeroLengthFrame() throws Exception {
        plugin.sendRaw(ByteBuffer.allocate(4).putInt(0).flip());

        assertThat(handler.nextClosing().reason()).isEqualTo("frame malformed (zero length)");
        assertThat(channel.closeReason()).contains("frame malformed (zero length)");
    }

    @Test
    void shouldDropGarbageFramesAndCutOffAfterTooMany() throws Exception {
        plugin.send("[1,2,3]");
        plugin.send("{\"no\":\"method\"}");
        plugin.sendReady();
        channel.ready().get(1, TimeUnit.SECONDS);
        assertThat(channel.stats().garbageDropped()).isEqualTo(2);
        assertThat(channel.isOpen()).isTrue();

        for (int i = 0; i < PluginChannel.MAX_GARBAGE_FRAMES; i++) {
            plugin.send("not json");
        }

        assertThat(handler.nextClosing().reason()).isEqualTo("too many garbage frames (101)");
        assertThat(channel.stats().garbageDropped()).isEqualTo(101);
    }

    @Test
    void shouldFailPendingRequestsWhenPeerDisconnects() throws Exception {
        CompletableFuture<JsonNode> first = channel.request("activate", mapper.createObjectNode());
        CompletableFuture<JsonNode> second = channel.request("execute", mapper.createObjectNode());
        plugin.next();
        plugin.next();

        plugin.close();

        for (CompletableFuture<JsonNode> call : List.of(first, second)) {
            assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(IpcClosedException.class)
                    .hasMessage("plugin connection closed");
        }
        assertThat(handler.nextClosing()).isEqualTo(new RecordingHandler.Closing("echo", "plugin connection closed"));
        assertThatThrownBy(() -> channel.ready().get(1, TimeUnit.SECONDS))
                .cause().isInstanceOf(IpcClosedException.class);
        assertThatThrownBy(() -> channel.request("execute", null).join())
                .cause().isInstanceOf(IpcClosedException.class);
        assertThatThrownBy(() -> channel.notify("shutdown", null))
                .isInstanceOf(IpcClosedException.class)
                .extracting(e -> ((PluginHostException) e).code()).isEqualTo("ipc_closed");
    }

    @Test
    void shouldSendNotificationsAndCloseWhenAskedTo() throws Exception {
        channel.notify("shutdown", mapper.createObjectNode());
        assertThat(plugin.next().toString()).isEqualTo("{\"method\":\"shutdown\",\"params\":{}}");

        channel.close();
        channel.close();

        assertThat(plugin.awaitEof()).isTrue();
        assertThat(handler.nextClosing().reason()).isEqualTo(PluginChannel.REASON_HOST_CLOSED);
        assertThat(handler.closings).isEmpty();
    }

    @Test
    void shouldReportResetConnectionAsClosedByThePlugin() throws Exception {
        CompletableFuture<JsonNode> call = channel.request("execute", mapper.createObjectNode());

        plugin.close(); // typically with the request still unread: the host side sees a reset or EOF

        // the reader sees EOF or a reset, or the writer (its own thread) a broken pipe first: either names the plugin side
        assertThatThrownBy(() -> call.get(1, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(IpcClosedException.class)
                .satisfies(e -> assertThat(e.getMessage()).matches(
                        "^(" + PluginChannel.REASON_PEER_CLOSED + "|write failed: (Broken pipe|Connection reset)).*"));
    }

    @Test
    void shouldDeliverNotificationsInOrderBeforeOnClose() throws Exception {
        for (int i = 0; i < 20; i++) {
            plugin.send("{\"method\":\"log" + i + "\",\"params\":{\"level\":\"info\",\"message\":\"m\"}}");
        }
        plugin.close();

        handler.nextClosing();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("notification:log" + i);
        }
        expected.add("close");
        assertThat(handler.order).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldKeepRunningWhenNotificationHandlerThrows() throws Exception {
        IncomingHandler failing = new IncomingHandler() {
            @Override
            public CompletionStage<JsonNode> onRequest(String id, String m, ObjectNode p) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void onNotification(String id, String m, ObjectNode p) {
                throw new IllegalStateException("handler bug");
            }
        };
        endpoint.close();
        Path folder = endpoint.socketPath().getParent();
        try (PluginEndpoint other = PluginEndpoint.open("f", folder, MAX_FRAME, failing, mapper);
                TestPlugin client = TestPlugin.connect(other.socketPath(), mapper)) {
            PluginChannel c = other.awaitConnection(Duration.ofSeconds(1));
            client.sendReady();
            assertThat(c.ready().get(1, TimeUnit.SECONDS)).isNotNull();
            client.send("{\"id\":1,\"method\":\"x\"}");
            assertThat(client.next().toString()).isEqualTo("{\"id\":1,\"result\":null}");
        }
    }

    @Test
    void shouldRejectAwaitingReadyForeverWhenNothingArrives() {
        assertThatThrownBy(() -> channel.ready().get(20, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);
        assertThat(channel.ready().isDone()).isFalse();
    }

    /** A host-side refusal, as the plugin layer would throw it. */
    static final class DeniedException extends PluginHostException {
        DeniedException(String message) {
            super(message);
        }

        @Override
        public String code() {
            return "denied";
        }
    }
}
