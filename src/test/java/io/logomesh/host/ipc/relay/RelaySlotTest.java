package io.logomesh.host.ipc.relay;

import static io.logomesh.host.ipc.relay.RelayFixture.AGENT;
import static io.logomesh.host.ipc.relay.RelayFixture.NODE;
import static io.logomesh.host.ipc.relay.RelayFixture.PLUGIN;
import static io.logomesh.host.ipc.relay.RelayFixture.await;
import static io.logomesh.host.ipc.relay.RelayFixture.endsWithoutData;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A connection from a plugin's {@code next} slot reaches only a route that tells slots apart, and says its slot. */
@Timeout(20)
class RelaySlotTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private RelayFixture fixture;
    private RelayServer relay;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RelayFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (relay != null) {
            relay.close();
        }
        fixture.close();
    }

    @Test
    void shouldRefuseANextSlotsConnectionOnARouteThatKnowsNoSlotsWithoutAskingIt() throws Exception {
        relay = fixture.start(RelayLimits.DEFAULTS);

        try (SSLSocket tls = connect(RelayHeader.plugin(PLUGIN, NODE, true))) {
            assertThat(endsWithoutData(tls.getInputStream())).isTrue();
        }

        await(() -> relay.refusedConnections() == 1);
        assertThat(fixture.route.calls).isEmpty();
        assertThat(fixture.pluginWasConnected()).isFalse();
    }

    @Test
    void shouldAskARouteBySlotWithEachConnectionsSlotAndRelayToWhatItNames() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        RelayRoute.BySlot route = (pluginId, nodeId, agent, next) -> {
            asked.add(pluginId + " " + nodeId + " " + agent + " " + (next ? "next" : "first"));
            return next ? Optional.of(fixture.pluginSocket) : Optional.empty();
        };
        relay = RelayServer.start(new InetSocketAddress("127.0.0.1", 0), RelayTls.server(fixture.server), route,
                RelayLimits.DEFAULTS);

        try (SSLSocket first = connect(RelayHeader.plugin(PLUGIN, NODE))) {
            assertThat(endsWithoutData(first.getInputStream())).as("the route refuses the first slot here").isTrue();
        }
        try (SSLSocket next = connect(RelayHeader.plugin(PLUGIN, NODE, true));
             SocketChannel plugin = fixture.plugin.accept()) {
            next.getOutputStream().write(7);
            next.getOutputStream().flush();
            assertThat(Channels.newInputStream(plugin).read()).isEqualTo(7);
        }

        assertThat(asked).containsExactly(PLUGIN + " " + NODE + " " + AGENT + " first",
                PLUGIN + " " + NODE + " " + AGENT + " next");
    }

    private SSLSocket connect(RelayHeader header) {
        return RelayClient.connect(new InetSocketAddress("127.0.0.1", relay.port()), RelayTls.client(fixture.agent),
                header, TIMEOUT);
    }
}
