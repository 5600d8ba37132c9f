package io.logomesh.host.ipc.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayTlsTest {

    @TempDir
    Path dir;

    @Test
    void shouldRequireClientAuthEvenOfACertificateWithoutAnyExtendedKeyUsage() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("ca"));

        // the JDK's own check lets a certificate without extendedKeyUsage through; the CA's has none
        assertThatThrownBy(() -> RelayTls.requirePurpose(ca.certificate(), RelayTls.CLIENT_AUTH))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("clientAuth");
        assertThatThrownBy(() -> RelayTls.requirePurpose(
                ca.issueServer("relay", List.of("127.0.0.1"), List.of()).certificate(), RelayTls.CLIENT_AUTH))
                .isInstanceOf(CertificateException.class);
        RelayTls.requirePurpose(ca.issueAgent("agent-1").certificate(), RelayTls.CLIENT_AUTH);
    }

    @Test
    void shouldEnableOnlyTls13AndRequireAClientCertificateOnTheServer() throws Exception {
        RelayIdentity server = ClusterCa.loadOrCreate(dir.resolve("ca")).issueServer("relay", List.of("127.0.0.1"),
                List.of());

        try (SSLSocket socket = (SSLSocket) RelayTls.server(server).getSocketFactory().createSocket()) {
            RelayTls.configureServer(socket);

            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3");
            assertThat(socket.getNeedClientAuth()).isTrue();
            assertThat(socket.getUseClientMode()).isFalse();
        }
    }

    @Test
    void shouldEnableOnlyTls13AndCheckTheServersNameOnTheClient() throws Exception {
        RelayIdentity agent = ClusterCa.loadOrCreate(dir.resolve("ca")).issueAgent("agent-1");

        try (SSLSocket socket = (SSLSocket) RelayTls.client(agent).getSocketFactory().createSocket()) {
            RelayTls.configureClient(socket);

            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3");
            assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        }
    }
}
