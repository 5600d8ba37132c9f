package io.logomesh.host.ipc.relay;

import static io.logomesh.host.ipc.relay.RelayFixture.NODE;
import static io.logomesh.host.ipc.relay.RelayFixture.PLUGIN;
import static io.logomesh.host.ipc.relay.RelayFixture.await;
import static io.logomesh.host.ipc.relay.RelayFixture.endsWithoutData;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Authenticated agents whose connection the relay server still refuses, and the server's limits. */
@Timeout(10)
class RelayRefusalTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final RelayLimits SHORT_DEADLINE = new RelayLimits(Duration.ofMillis(300), 8);

    @TempDir
    Path dir;

    private RelayFixture fixture;
    private SSLContext agent;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RelayFixture(dir);
        agent = RelayTls.client(fixture.agent);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void shouldRefuseGarbageInsteadOfAHeader() throws Exception {
        assertRefusedAfterSending("GET / HTTP/1.1\r\nHost: relay\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRefuseAnOverlongHeader() throws Exception {
        String line = "LOGOMESH-RELAY 1 plugin " + "a".repeat(300) + " " + NODE + "\n";
        assertRefusedAfterSending(line.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRefuseAnUnknownKind() throws Exception {
        assertRefusedAfterSending(("LOGOMESH-RELAY 1 status " + NODE + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRefuseAControlLinkWhereNoneIsServed() throws Exception {
        assertRefusedAfterSending(("LOGOMESH-RELAY 1 control " + NODE + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRefuseAPluginIdThatNamesAPath() throws Exception {
        assertRefusedAfterSending(("LOGOMESH-RELAY 1 plugin ../x " + NODE + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRefuseWhatTheRouteRefuses() throws Exception {
        RelayServer relay = fixture.start(RelayLimits.DEFAULTS);
        fixture.route.refuse = true;

        try (SSLSocket socket = RelayClient.connect(fixture.address(), agent, RelayHeader.plugin(PLUGIN, NODE),
                TIMEOUT)) {
            assertThat(endsWithoutData(socket.getInputStream())).isTrue();
        }

        await(() -> relay.refusedConnections() == 1);
        assertThat(fixture.route.calls).hasSize(1);
        assertThat(fixture.pluginWasConnected()).isFalse();
    }

    @Test
    void shouldCutOffAConnectionThatSendsNothing() throws Exception {
        RelayServer relay = fixture.start(SHORT_DEADLINE);

        try (Socket silent = new Socket("127.0.0.1", relay.port())) {
            assertThat(endsWithoutData(silent.getInputStream())).isTrue();
        }

        await(() -> relay.refusedConnections() == 1);
        await(() -> relay.activeConnections() == 0);
        assertThat(fixture.route.calls).isEmpty();
    }

    @Test
    void shouldCutOffAnAgentThatTricklesItsHeader() throws Exception {
        RelayServer relay = fixture.start(SHORT_DEADLINE);

        try (SSLSocket socket = RelayClient.handshake(fixture.address(), agent, TIMEOUT)) {
            OutputStream out = socket.getOutputStream();
            out.write("LOGOMESH-RELAY 1 plu".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(endsWithoutData(socket.getInputStream())).isTrue();
        }

        await(() -> relay.refusedConnections() == 1);
        assertThat(fixture.route.calls).isEmpty();
        assertThat(fixture.pluginWasConnected()).isFalse();
    }

    @Test
    void shouldCloseAConnectionPastTheLimitAtOnce() throws Exception {
        RelayServer relay = fixture.start(new RelayLimits(Duration.ofSeconds(5), 1));
        SSLSocket first = RelayClient.connect(fixture.address(), agent, RelayHeader.plugin(PLUGIN, NODE), TIMEOUT);
        SocketChannel plugin = fixture.plugin.accept();

        try (Socket extra = new Socket("127.0.0.1", relay.port())) {
            assertThat(endsWithoutData(extra.getInputStream())).isTrue();
        }
        await(() -> relay.refusedConnections() == 1);

        first.close();
        plugin.close();
        await(() -> relay.activeConnections() == 0);
        try (SSLSocket again = RelayClient.connect(fixture.address(), agent, RelayHeader.plugin(PLUGIN, NODE),
                TIMEOUT); SocketChannel relayed = fixture.plugin.accept()) {
            assertThat(relayed.isConnected()).isTrue();
            assertThat(relay.activeConnections()).isEqualTo(1);
        }
    }

    private void assertRefusedAfterSending(byte[] bytes) throws Exception {
        RelayServer relay = fixture.start(RelayLimits.DEFAULTS);

        try (SSLSocket socket = RelayClient.handshake(fixture.address(), agent, TIMEOUT)) {
            try {
                socket.getOutputStream().write(bytes);
            } catch (IOException e) {
                // the relay may refuse before the last byte is out
            }
            assertThat(endsWithoutData(socket.getInputStream())).isTrue();
        }

        await(() -> relay.refusedConnections() == 1);
        assertThat(fixture.route.calls).isEmpty();
        assertThat(fixture.pluginWasConnected()).isFalse();
    }
}
