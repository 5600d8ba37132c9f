package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.ipc.FrameDecoder;
import io.logomesh.host.ipc.IncomingHandler;
import io.logomesh.host.ipc.IpcLimits;
import io.logomesh.host.ipc.PluginChannel;
import io.logomesh.host.ipc.PluginEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** How a session ends its container: shutdown only to a reading plugin, kill first otherwise, whatever the caller's interrupt. */
@Timeout(20)
class PluginSessionEndTest {

    private static final int MAX_FRAME = 64 * 1024;

    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordingContainer container = new RecordingContainer();
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private PluginEndpoint endpoint;
    private SocketChannel peer;

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws IOException {
        Thread.interrupted();
        if (peer != null) {
            peer.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private PluginSession session(boolean peerReads) throws IOException {
        IpcLimits limits = new IpcLimits(MAX_FRAME, 256 * 1024, 1000, Duration.ofMinutes(1), 64, Duration.ofSeconds(5));
        endpoint = PluginEndpoint.open("p", dir.resolve("p"), limits, new Silent(), mapper);
        peer = SocketChannel.open(StandardProtocolFamily.UNIX);
        peer.connect(UnixDomainSocketAddress.of(endpoint.socketPath()));
        if (peerReads) {
            Thread.ofVirtual().start(this::readLoop);
        }
        PluginChannel channel = endpoint.awaitConnection(Duration.ofSeconds(2));
        return new PluginSession(endpoint, container, channel, 20000, why -> { });
    }

    @Test
    void shouldSayShutdownAndStopWithGraceWhenThePluginReads() throws Exception {
        PluginSession session = session(true);

        session.end(Duration.ofSeconds(1));

        JsonNode frame = received.poll(2, TimeUnit.SECONDS);
        assertThat(frame).isNotNull();
        assertThat(frame.get("method").asText()).isEqualTo("shutdown");
        assertThat(container.calls).containsExactly("stop PT1S", "remove");
        assertThat(session.isEnding()).isTrue();
    }

    @Test
    void shouldKillWithoutShutdownWhenThePluginIsNotReading() throws Exception {
        PluginSession session = session(false);
        ObjectNode big = mapper.createObjectNode().put("blob", "x".repeat(60 * 1024));
        for (int i = 0; i < 20; i++) {
            session.call("execute", big);
        }

        session.end(Duration.ofSeconds(1));

        assertThat(container.calls).containsExactly("kill", "remove");
    }

    @Test
    void shouldKillAtOnceWithoutShutdownWhenThePluginOverran() throws Exception {
        PluginSession session = session(true);

        session.kill();

        assertThat(container.calls).containsExactly("kill", "remove");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void shouldStopTheContainerEvenWhenTheCallerIsInterrupted() throws Exception {
        PluginSession session = session(true);
        CompletableFuture<JsonNode> pending = session.call("deactivate", mapper.createObjectNode());

        Thread.currentThread().interrupt();
        session.kill();

        assertThat(Thread.interrupted()).as("the caller's interrupt status is kept").isTrue();
        assertThat(container.calls).containsExactly("kill", "remove");
        assertThat(container.interruptedCalls).isEmpty();
        assertThat(pending).isCompletedExceptionally();
    }

    private void readLoop() {
        FrameDecoder decoder = new FrameDecoder(MAX_FRAME);
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (peer.read(buffer.clear()) >= 0) {
                decoder.feed(buffer.flip(), payload -> {
                    try {
                        received.add(mapper.readTree(payload));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Records the engine calls, and which of them ran on an interrupted thread (those would fail for real). */
    private static final class RecordingContainer implements PluginContainer {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> interruptedCalls = new CopyOnWriteArrayList<>();

        private void record(String call) {
            calls.add(call);
            if (Thread.currentThread().isInterrupted()) {
                interruptedCalls.add(call);
            }
        }

        @Override
        public String id() {
            return "c1";
        }

        @Override
        public void stop(Duration grace) {
            record("stop " + grace);
        }

        @Override
        public void kill() {
            record("kill");
        }

        @Override
        public void rename(String name) {
            record("rename " + name);
        }

        @Override
        public void remove() {
            record("remove");
        }

        @Override
        public Optional<ContainerExit> awaitExit(Duration timeout) {
            return Optional.empty();
        }
    }

    private static final class Silent implements IncomingHandler {
        @Override
        public CompletionStage<JsonNode> onRequest(String pluginId, String method, ObjectNode params) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onNotification(String pluginId, String method, ObjectNode params) {
        }
    }
}
