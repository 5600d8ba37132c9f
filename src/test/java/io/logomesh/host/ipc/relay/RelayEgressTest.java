package io.logomesh.host.ipc.relay;

import static io.logomesh.host.ipc.relay.RelayFixture.AGENT;
import static io.logomesh.host.ipc.relay.RelayFixture.NODE;
import static io.logomesh.host.ipc.relay.RelayFixture.PLUGIN;
import static io.logomesh.host.ipc.relay.RelayFixture.await;
import static io.logomesh.host.ipc.relay.RelayFixture.endsWithoutData;
import static io.logomesh.host.ipc.relay.RelayFixture.readFully;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
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

/**
 * {@code egress} connections: routed by the egress route alone, to the socket it names (the plugin's egress proxy),
 * never to the plugin's {@code host.sock}; refused, nothing connected, by a relay without an egress route.
 */
@Timeout(10)
class RelayEgressTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private RelayFixture fixture;
    private ServerSocketChannel egress;
    private RecordingRoute egressRoute;
    private SSLContext agent;
    private RelayServer relay;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RelayFixture(dir);
        Path socket = dir.resolve("egress.sock");
        egress = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        egress.bind(UnixDomainSocketAddress.of(socket));
        egressRoute = new RecordingRoute(socket);
        agent = RelayTls.client(fixture.agent);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (relay != null) {
            relay.close();
        }
        egress.close();
        fixture.close();
    }

    @Test
    void shouldRelayAnEgressConnectionToTheSocketTheEgressRouteNames() throws Exception {
        relay = RelayServer.start(new InetSocketAddress("127.0.0.1", 0), RelayTls.server(fixture.server),
                fixture.route, egressRoute, null, RelayLimits.DEFAULTS);

        try (SSLSocket tls = connect(RelayHeader.egress(PLUGIN, NODE)); SocketChannel proxy = egress.accept()) {
            tls.getOutputStream().write("CONNECT a:1 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            assertThat(new String(readFully(Channels.newInputStream(proxy), 24), StandardCharsets.US_ASCII))
                    .isEqualTo("CONNECT a:1 HTTP/1.1\r\n\r\n");
            Channels.newOutputStream(proxy).write("HTTP/1.1 403".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(readFully(tls.getInputStream(), 12), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 403");
        }

        assertThat(egressRoute.calls).containsExactly(new RecordingRoute.Call(PLUGIN, NODE, AGENT));
        assertThat(fixture.route.calls).as("the plugin route is not asked").isEmpty();
        assertThat(fixture.pluginWasConnected()).as("host.sock is not connected").isFalse();
    }

    @Test
    void shouldRefuseAnEgressConnectionWithoutAnEgressRoute() throws Exception {
        relay = RelayServer.start(new InetSocketAddress("127.0.0.1", 0), RelayTls.server(fixture.server),
                fixture.route, null, RelayLimits.DEFAULTS);

        try (SSLSocket tls = connect(RelayHeader.egress(PLUGIN, NODE))) {
            assertThat(endsWithoutData(tls.getInputStream())).isTrue();
        }

        await(() -> relay.refusedConnections() == 1);
        assertThat(fixture.route.calls).as("an egress connection never goes by the plugin route").isEmpty();
        assertThat(fixture.pluginWasConnected()).isFalse();
    }

    @Test
    void shouldRefuseWhatTheEgressRouteRefuses() throws Exception {
        relay = RelayServer.start(new InetSocketAddress("127.0.0.1", 0), RelayTls.server(fixture.server),
                fixture.route, egressRoute, null, RelayLimits.DEFAULTS);
        egressRoute.refuse = true;

        try (SSLSocket tls = connect(RelayHeader.egress(PLUGIN, NODE))) {
            assertThat(endsWithoutData(tls.getInputStream())).isTrue();
        }

        await(() -> relay.refusedConnections() == 1);
        assertThat(egressRoute.calls).hasSize(1);
        egress.configureBlocking(false);
        assertThat(egress.accept()).as("the egress socket was not connected").isNull();
    }

    private SSLSocket connect(RelayHeader header) {
        return RelayClient.connect(new InetSocketAddress("127.0.0.1", relay.port()), agent, header, TIMEOUT);
    }
}
