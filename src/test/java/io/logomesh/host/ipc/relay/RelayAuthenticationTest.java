package io.logomesh.host.ipc.relay;

import static io.logomesh.host.ipc.relay.RelayFixture.NODE;
import static io.logomesh.host.ipc.relay.RelayFixture.PLUGIN;
import static io.logomesh.host.ipc.relay.RelayFixture.await;
import static io.logomesh.host.ipc.relay.RelayFixture.endsWithoutData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS: who the relay server lets in, and which servers an agent accepts. */
@Timeout(10)
class RelayAuthenticationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private RelayFixture fixture;
    private ClusterCa otherCa;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RelayFixture(dir);
        otherCa = ClusterCa.loadOrCreate(dir.resolve("other-ca"));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void shouldRefuseAnAgentWithoutACertificate() throws Exception {
        RelayServer relay = fixture.start(RelayLimits.DEFAULTS);
        SSLContext anonymous = SSLContext.getInstance(RelayTls.PROTOCOL);
        anonymous.init(null, trusting(fixture.ca).getTrustManagers(), new SecureRandom());

        assertRefused(relay, anonymous);
    }

    @Test
    void shouldRefuseAnAgentWithACertificateFromAnotherCa() throws Exception {
        RelayServer relay = fixture.start(RelayLimits.DEFAULTS);
        RelayIdentity stranger = otherCa.issueAgent("agent-node-1");
        // trusts the right CA, so only the server can be the one refusing
        RelayIdentity mixed = new RelayIdentity(stranger.key(), stranger.chain(), fixture.ca.certificate());

        assertRefused(relay, RelayTls.client(mixed));
    }

    @Test
    void shouldRefuseAServerCertificateOfTheRightCaPosingAsAnAgent() throws Exception {
        RelayServer relay = fixture.start(RelayLimits.DEFAULTS);
        RelayIdentity leakedServerKey = fixture.ca.issueServer("agent-node-1", List.of("127.0.0.1"), List.of());

        assertRefused(relay, RelayTls.client(leakedServerKey));
    }

    @Test
    void shouldRefuseAServerWhoseCertificateIsFromAnotherCa() {
        RelayIdentity impostor = otherCa.issueServer("control-plane", List.of("127.0.0.1"), List.of());
        RelayServer relay = fixture.start(RelayTls.server(new RelayIdentity(impostor.key(), impostor.chain(),
                fixture.ca.certificate())), RelayLimits.DEFAULTS);

        assertThatThrownBy(() -> RelayClient.connect(fixture.address(), RelayTls.client(fixture.agent),
                RelayHeader.plugin(PLUGIN, NODE), TIMEOUT))
                .isInstanceOf(RelayConnectException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class);
        assertThat(fixture.route.calls).isEmpty();
    }

    @Test
    void shouldRefuseAServerWhoseCertificateDoesNotNameTheAddressConnectedTo() {
        RelayIdentity elsewhere = fixture.ca.issueServer("control-plane", List.of("127.0.0.2"),
                List.of("elsewhere.example"));
        fixture.start(RelayTls.server(elsewhere), RelayLimits.DEFAULTS);

        assertThatThrownBy(() -> RelayClient.connect(fixture.address(), RelayTls.client(fixture.agent),
                RelayHeader.plugin(PLUGIN, NODE), TIMEOUT))
                .isInstanceOf(RelayConnectException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("127.0.0.1");
        assertThat(fixture.route.calls).isEmpty();
    }

    @Test
    void shouldRefuseAnAgentsContextPosingAsTheServer() {
        fixture.start(RelayTls.server(fixture.ca.issueAgent("control-plane")), RelayLimits.DEFAULTS);

        assertThatThrownBy(() -> RelayClient.connect(fixture.address(), RelayTls.client(fixture.agent),
                RelayHeader.plugin(PLUGIN, NODE), TIMEOUT))
                .isInstanceOf(RelayConnectException.class);
        assertThat(fixture.route.calls).isEmpty();
    }

    /** TLS 1.3: the client may finish its side of the handshake before the server refuses its certificate. */
    private void assertRefused(RelayServer relay, SSLContext client) throws Exception {
        try (SSLSocket socket = RelayClient.handshake(fixture.address(), client, TIMEOUT)) {
            RelayHeader.plugin(PLUGIN, NODE).write(socket.getOutputStream());
            assertThat(endsWithoutData(socket.getInputStream())).isTrue();
        } catch (RelayConnectException | java.io.IOException e) {
            // refused during the handshake or while the header was sent: as good
        }
        await(() -> relay.refusedConnections() == 1);
        assertThat(fixture.route.calls).isEmpty();
        assertThat(fixture.pluginWasConnected()).isFalse();
        await(() -> relay.activeConnections() == 0);
    }

    private static TrustManagerFactory trusting(ClusterCa ca) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(anchors);
        return factory;
    }
}
