package io.logomesh.host.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bounds of one connection (outbox, write deadline, in-flight cap, notification queue) on a real Unix socket. */
@Timeout(20)
class PluginChannelBoundsTest {

    private static final int MAX_FRAME = 64 * 1024;
    private static final long OUTBOX = 256 * 1024;

    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordingHandler handler = new RecordingHandler();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    private PluginChannel open(IpcLimits limits, boolean pluginReads) throws Exception {
        PluginEndpoint endpoint = PluginEndpoint.open("p", dir.resolve("p"), limits, handler, mapper);
        opened.add(endpoint);
        if (pluginReads) {
            opened.add(TestPlugin.connect(endpoint.socketPath(), mapper));
        } else {
            SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX); // connects, never reads
            silent.connect(UnixDomainSocketAddress.of(endpoint.socketPath()));
            opened.add(silent);
        }
        return endpoint.awaitConnection(Duration.ofSeconds(2));
    }

    private record Connected(PluginChannel channel, TestPlugin plugin) {
    }

    /** A connection whose plugin side is a {@link TestPlugin} (it reads, and the test answers for it). */
    private Connected connect(IpcLimits limits, IncomingHandler incoming) throws Exception {
        PluginEndpoint endpoint = PluginEndpoint.open("p", dir.resolve("p"), limits, incoming, mapper);
        opened.add(endpoint);
        TestPlugin plugin = TestPlugin.connect(endpoint.socketPath(), mapper);
        opened.add(plugin);
        return new Connected(endpoint.awaitConnection(Duration.ofSeconds(2)), plugin);
    }

    private static IpcLimits limits(Duration writeTimeout, int inFlight, Duration notificationTimeout) {
        return new IpcLimits(MAX_FRAME, OUTBOX, 10_000, writeTimeout, inFlight, notificationTimeout);
    }

    private ObjectNode bigParams() {
        return mapper.createObjectNode().put("blob", "x".repeat(60 * 1024));
    }

    @Test
    void shouldRefuseRequestsAtOnceWithBusyWhenThePluginStopsReading() throws Exception {
        PluginChannel channel = open(limits(Duration.ofMinutes(1), 64, Duration.ofSeconds(5)), false);

        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        CompletableFuture<JsonNode> refused = null;
        for (int i = 0; i < 1000 && refused == null; i++) {
            CompletableFuture<JsonNode> call = channel.request("execute", bigParams());
            if (call.isCompletedExceptionally()) {
                refused = call;
            } else {
                calls.add(call);
            }
        }

        assertThat(refused).as("a request past the outbox bound fails at once").isNotNull();
        assertThatThrownBy(refused::join).cause().isInstanceOf(IpcBackpressureException.class)
                .extracting(e -> ((IpcBackpressureException) e).code()).isEqualTo("busy");
        assertThatThrownBy(() -> channel.notify("event", bigParams())).isInstanceOf(IpcBackpressureException.class);
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.isDrained()).isFalse();
        assertThat(channel.stats().outboxRefused()).isEqualTo(2);
        assertThat(channel.stats().outboxBytes()).isLessThanOrEqualTo(OUTBOX);
        assertThat(calls).allMatch(c -> !c.isDone());
    }

    @Test
    void shouldWriteSmallFramesAtOnceOnlyWhileTheirBytesAreProvedReadAndNeverBlockTheSender() throws Exception {
        PluginChannel channel = open(limits(Duration.ofMinutes(1), 64, Duration.ofSeconds(5)), false);

        // a plugin that never reads nor answers: a handful go out at once, then they queue, then they are refused,
        // and the sender is never blocked (a blocking write would hang here until the test's timeout)
        int sent = 0;
        for (; sent < 100_000; sent++) {
            if (channel.requestAtOnce("execute", mapper.createObjectNode().put("n", sent)).isCompletedExceptionally()) {
                break; // the outbox is full
            }
        }

        assertThat(sent).isLessThan(100_000);
        assertThat(channel.framesWrittenAtOnce()).isBetween(1L, 256L);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldCutOffAPluginThatAnswersRequestsItNeverReadInsteadOfBlockingTheSenderForEver() throws Exception {
        PluginEndpoint endpoint = PluginEndpoint.open("p", dir.resolve("p"),
                limits(Duration.ofMillis(300), 64, Duration.ofSeconds(5)), handler, mapper);
        opened.add(endpoint);
        SocketChannel forger = SocketChannel.open(StandardProtocolFamily.UNIX); // answers by guessing ids, never reads
        forger.connect(UnixDomainSocketAddress.of(endpoint.socketPath()));
        opened.add(forger);
        PluginChannel channel = endpoint.awaitConnection(Duration.ofSeconds(2));

        // each forged answer "proves" its request read, so the host keeps writing at once until the socket is full;
        // the write deadline must then cut the plugin off (a blocked sender would hang here until the timeout)
        for (int i = 0; i < 10_000 && channel.isOpen(); i++) {
            CompletableFuture<JsonNode> call = channel.requestAtOnce("execute",
                    mapper.createObjectNode().put("blob", "x".repeat(8 * 1024))); // small enough to go at once
            long id = i + 1;
            byte[] answer = ("{\"id\":" + id + ",\"result\":null}").getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(4 + answer.length).putInt(answer.length).put(answer).flip();
            try {
                while (frame.hasRemaining()) {
                    forger.write(frame);
                }
                call.get(5, TimeUnit.SECONDS);
            } catch (IOException | java.util.concurrent.ExecutionException e) {
                break; // cut off: the host closed the socket, and failed the call
            }
        }

        RecordingHandler.Closing closing = handler.closings.poll(10, TimeUnit.SECONDS);
        assertThat(closing).isNotNull();
        assertThat(closing.reason()).isEqualTo(PluginChannel.REASON_STOPPED_READING);
    }

    @Test
    void shouldWriteAtOnceAgainOnceThePluginHasAnsweredWhatWasSent() throws Exception {
        Connected connected = connect(limits(Duration.ofMinutes(1), 64, Duration.ofSeconds(5)), handler);
        TestPlugin plugin = connected.plugin();
        PluginChannel channel = connected.channel();

        for (int i = 0; i < 500; i++) {
            CompletableFuture<JsonNode> call = channel.requestAtOnce("execute", mapper.createObjectNode().put("n", i));
            JsonNode request = plugin.next();
            assertThat(request.at("/params/n").asInt()).isEqualTo(i);
            plugin.send("{\"id\":" + request.get("id").asLong() + ",\"result\":" + i + "}");
            assertThat(call.get(5, TimeUnit.SECONDS).asInt()).isEqualTo(i);
        }

        // each answer proves the request before it read, so none of the 500 waited for the writer thread
        assertThat(channel.framesWrittenAtOnce()).isEqualTo(500);
        assertThat(channel.stats().framesOut()).isEqualTo(500);
    }

    @Test
    void shouldQueueAnInterruptedThreadsFrameInsteadOfWritingItSoTheConnectionStaysOpen() throws Exception {
        Connected connected = connect(limits(Duration.ofMinutes(1), 64, Duration.ofSeconds(5)), handler);

        Thread.currentThread().interrupt();
        try {
            connected.channel().notify("event", mapper.createObjectNode().put("n", 1));
        } finally {
            Thread.interrupted(); // clears the flag for the rest of the test
        }

        assertThat(connected.plugin().next().at("/params/n").asInt()).isEqualTo(1);
        assertThat(connected.channel().framesWrittenAtOnce()).isZero();
        assertThat(connected.channel().isOpen()).isTrue();
    }

    @Test
    void shouldCutOffAPluginThatDoesNotDrainWithinTheWriteDeadline() throws Exception {
        PluginChannel channel = open(limits(Duration.ofMillis(300), 64, Duration.ofSeconds(5)), false);
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(channel.request("execute", bigParams()));
        }

        RecordingHandler.Closing closing = handler.closings.poll(10, TimeUnit.SECONDS);

        assertThat(closing).isNotNull();
        assertThat(closing.reason()).isEqualTo(PluginChannel.REASON_STOPPED_READING);
        assertThat(channel.closeReason()).contains(PluginChannel.REASON_STOPPED_READING);
        assertThat(calls).allSatisfy(call -> assertThatThrownBy(call::join).cause()
                .isInstanceOfAny(IpcClosedException.class, IpcBackpressureException.class));
        assertThatThrownBy(calls.getFirst()::join).cause().isInstanceOf(IpcClosedException.class)
                .hasMessage(PluginChannel.REASON_STOPPED_READING);
    }

    @Test
    void shouldKeepAPluginThatReadsAndDeliverEveryFrameInOrder() throws Exception {
        IpcLimits limits = limits(Duration.ofMillis(300), 64, Duration.ofSeconds(5));
        Connected connected = connect(limits, handler);
        TestPlugin plugin = connected.plugin();
        PluginChannel channel = connected.channel();

        for (int i = 0; i < 2000; i++) {
            channel.notify("event", mapper.createObjectNode().put("n", i));
        }

        for (int i = 0; i < 2000; i++) {
            assertThat(plugin.next().at("/params/n").asInt()).isEqualTo(i);
        }
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.stats().framesOut()).isEqualTo(2000);
    }

    @Test
    void shouldAnswerBusyAtOncePastTheInFlightCapAndServeAgainWhenOneFinishes() throws Exception {
        Connected connected = connect(limits(Duration.ofSeconds(5), 2, Duration.ofSeconds(5)), handler);
        TestPlugin plugin = connected.plugin();
        PluginChannel channel = connected.channel();
        List<CompletableFuture<JsonNode>> held = new ArrayList<>();
        handler.serveWith((id, method, params) -> {
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            synchronized (held) {
                held.add(f);
            }
            return f;
        });

        plugin.send("{\"id\":1,\"method\":\"sendMessage\",\"params\":{}}");
        plugin.send("{\"id\":2,\"method\":\"sendMessage\",\"params\":{}}");
        handler.nextRequest();
        handler.nextRequest();
        plugin.send("{\"id\":3,\"method\":\"sendMessage\",\"params\":{}}");

        JsonNode refusal = plugin.next();
        assertThat(refusal.get("id").asLong()).isEqualTo(3);
        assertThat(refusal.at("/error/code").asText()).isEqualTo("busy");
        assertThat(channel.stats().requestsRefused()).isEqualTo(1);
        assertThat(handler.requests).isEmpty();

        synchronized (held) {
            held.getFirst().complete(mapper.createObjectNode().put("ok", true));
        }
        assertThat(plugin.next().get("id").asLong()).isIn(1L, 2L); // whichever was served first
        plugin.send("{\"id\":4,\"method\":\"sendMessage\",\"params\":{}}");
        assertThat(handler.nextRequest().method()).isEqualTo("sendMessage");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldCutOffAPluginWhoseNotificationQueueStaysFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        IncomingHandler stuck = new IncomingHandler() {
            @Override
            public java.util.concurrent.CompletionStage<JsonNode> onRequest(String id, String m, ObjectNode p) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void onNotification(String id, String method, ObjectNode params) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onClose(String id, String reason) {
                handler.onClose(id, reason);
            }
        };
        Connected connected = connect(limits(Duration.ofSeconds(5), 64, Duration.ofMillis(200)), stuck);
        TestPlugin plugin = connected.plugin();
        PluginChannel channel = connected.channel();

        byte[] log = "{\"method\":\"log\",\"params\":{\"message\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
        try {
            for (int i = 0; i < 1100; i++) {
                plugin.sendPayload(log);
            }
        } catch (IOException e) {
            // the host may cut it off before the last ones are written
        }

        assertThat(waitClosed(channel)).isTrue();
        assertThat(channel.closeReason()).contains(PluginChannel.REASON_NOTIFICATIONS_STALLED);
        release.countDown();
        assertThat(handler.closings.poll(5, TimeUnit.SECONDS)).isNotNull()
                .extracting(RecordingHandler.Closing::reason).isEqualTo(PluginChannel.REASON_NOTIFICATIONS_STALLED);
    }

    @Test
    void shouldServeAMethodTheHandlerDeclaresNonBlockingOnTheReaderAndOthersOnTheirOwnThread() throws Exception {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        IncomingHandler inline = new IncomingHandler() {
            @Override
            public java.util.concurrent.CompletionStage<JsonNode> onRequest(String id, String m, ObjectNode p) {
                threads.add(m + "@" + Thread.currentThread().getName());
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public boolean servesInline(String method) {
                return "sendMessage".equals(method);
            }

            @Override
            public void onNotification(String id, String method, ObjectNode params) {
            }
        };
        PluginEndpoint endpoint = PluginEndpoint.open("p", dir.resolve("p"),
                limits(Duration.ofSeconds(5), 64, Duration.ofSeconds(5)), inline, mapper);
        opened.add(endpoint);
        TestPlugin plugin = TestPlugin.connect(endpoint.socketPath(), mapper);
        opened.add(plugin);
        endpoint.awaitConnection(Duration.ofSeconds(2));

        plugin.send("{\"id\":1,\"method\":\"sendMessage\",\"params\":{}}");
        assertThat(plugin.next().get("id").asLong()).isEqualTo(1);
        plugin.send("{\"id\":2,\"method\":\"emit\",\"params\":{}}");
        assertThat(plugin.next().get("id").asLong()).isEqualTo(2);

        assertThat(threads).containsExactly("sendMessage@ipc-read-p", "emit@ipc-p");
    }

    @Test
    void shouldRefuseLimitsWhoseOutboxCannotHoldOneLargestFrame() {
        assertThatThrownBy(() -> new IpcLimits(MAX_FRAME, MAX_FRAME, 10, Duration.ofSeconds(1), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean waitClosed(PluginChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (channel.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return !channel.isOpen();
    }
}
