package io.logomesh.host.ipc.relay;

import static io.logomesh.host.ipc.relay.RelayFixture.AGENT;
import static io.logomesh.host.ipc.relay.RelayFixture.NODE;
import static io.logomesh.host.ipc.relay.RelayFixture.PLUGIN;
import static io.logomesh.host.ipc.relay.RelayFixture.await;
import static io.logomesh.host.ipc.relay.RelayFixture.readFully;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bytes between an agent and a plugin's Unix socket, through a real relay server on 127.0.0.1. */
@Timeout(10)
class RelayServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int FIVE_MIB = 5 * 1024 * 1024;

    @TempDir
    Path dir;

    private RelayFixture fixture;
    private RelayServer relay;
    private SSLContext agent;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void startRelay() throws Exception {
        fixture = new RelayFixture(dir);
        relay = fixture.start(RelayLimits.DEFAULTS);
        agent = RelayTls.client(fixture.agent);
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        fixture.close();
    }

    @Test
    void shouldRelayBytesBothWaysBetweenTheAgentAndThePluginSocket() throws Exception {
        try (SSLSocket tls = connect(); SocketChannel plugin = fixture.plugin.accept()) {
            tls.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(readFully(Channels.newInputStream(plugin), 4)).asString().isEqualTo("ping");
            Channels.newOutputStream(plugin).write("pong".getBytes(StandardCharsets.US_ASCII));
            assertThat(readFully(tls.getInputStream(), 4)).asString().isEqualTo("pong");

            assertThat(fixture.route.calls).containsExactly(new RecordingRoute.Call(PLUGIN, NODE, AGENT));
            assertThat(relay.activeConnections()).isEqualTo(1);
            assertThat(relay.refusedConnections()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void shouldRelayFiveMebibytesEachWayAtOnce() throws Exception {
        byte[] up = random(FIVE_MIB, 1);
        byte[] down = random(FIVE_MIB, 2);
        try (SSLSocket tls = connect(); SocketChannel plugin = fixture.plugin.accept()) {
            InputStream pluginIn = Channels.newInputStream(plugin);
            OutputStream pluginOut = Channels.newOutputStream(plugin);
            CompletableFuture<Void> agentWrites = run(() -> tls.getOutputStream().write(up));
            CompletableFuture<Void> pluginWrites = run(() -> pluginOut.write(down));
            CompletableFuture<byte[]> pluginReads = CompletableFuture.supplyAsync(
                    () -> unchecked(() -> readFully(pluginIn, FIVE_MIB)), threads);
            byte[] agentRead = readFully(tls.getInputStream(), FIVE_MIB);

            assertThat(agentRead).isEqualTo(down);
            assertThat(pluginReads.get()).isEqualTo(up);
            agentWrites.get();
            pluginWrites.get();
        }
    }

    @Test
    void shouldCarryEndOfStreamFromThePluginToTheAgentAndBack() throws Exception {
        try (SSLSocket tls = connect(); SocketChannel plugin = fixture.plugin.accept()) {
            Channels.newOutputStream(plugin).write("last".getBytes(StandardCharsets.US_ASCII));
            plugin.shutdownOutput();
            assertThat(tls.getInputStream().readAllBytes()).asString().isEqualTo("last");

            tls.getOutputStream().write("after".getBytes(StandardCharsets.US_ASCII));
            tls.shutdownOutput();
            assertThat(Channels.newInputStream(plugin).readAllBytes()).asString().isEqualTo("after");

            await(() -> relay.activeConnections() == 0);
        }
    }

    @Test
    void shouldCarryEndOfStreamFromTheAgentToThePluginAndBack() throws Exception {
        try (SSLSocket tls = connect(); SocketChannel plugin = fixture.plugin.accept()) {
            tls.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            tls.shutdownOutput();
            assertThat(Channels.newInputStream(plugin).readAllBytes()).asString().isEqualTo("bye");

            Channels.newOutputStream(plugin).write("answer".getBytes(StandardCharsets.US_ASCII));
            plugin.shutdownOutput();
            assertThat(tls.getInputStream().readAllBytes()).asString().isEqualTo("answer");

            await(() -> relay.activeConnections() == 0);
        }
    }

    @Test
    void shouldEndTheAgentsStreamWhenThePluginSocketClosesAndFreeTheConnectionWhenTheAgentCloses()
            throws Exception {
        SSLSocket tls = connect();
        try (SocketChannel plugin = fixture.plugin.accept()) {
            plugin.close();

            assertThat(RelayFixture.endsWithoutData(tls.getInputStream())).isTrue();
        }
        tls.close();
        await(() -> relay.activeConnections() == 0);
    }

    @Test
    void shouldCloseEveryConnectionOnCloseEvenOneBlockedWritingToAnAgentThatStoppedReading() throws Exception {
        try (SSLSocket tls = connect(); SocketChannel plugin = fixture.plugin.accept()) {
            // the agent never reads: the relay's write to it blocks once the socket buffers are full
            CompletableFuture<Void> flood = run(() -> {
                OutputStream out = Channels.newOutputStream(plugin);
                byte[] chunk = new byte[64 * 1024];
                while (true) {
                    out.write(chunk);
                }
            });
            Thread.sleep(200);

            relay.close();

            await(() -> relay.activeConnections() == 0);
            assertThat(flood).failsWithin(Duration.ofSeconds(5));
        }
    }

    private SSLSocket connect() {
        return RelayClient.connect(fixture.address(), agent, RelayHeader.plugin(PLUGIN, NODE), TIMEOUT);
    }

    private CompletableFuture<Void> run(IoAction action) {
        return CompletableFuture.runAsync(() -> unchecked(() -> {
            action.run();
            return null;
        }), threads);
    }

    private static <T> T unchecked(IoSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws Exception;
    }
}
