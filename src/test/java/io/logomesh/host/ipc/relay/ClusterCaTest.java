package io.logomesh.host.ipc.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {

    @TempDir
    Path dir;

    @Test
    void shouldLoadTheSameCaOnTheSecondCall() {
        ClusterCa first = ClusterCa.loadOrCreate(dir.resolve("ca"));
        ClusterCa second = ClusterCa.loadOrCreate(dir.resolve("ca"));

        assertThat(second.certificate()).isEqualTo(first.certificate());
        RelayIdentity issuedBySecond = second.issueAgent("agent-1");
        assertChainsTo(issuedBySecond.certificate(), first.certificate());
    }

    @Test
    void shouldCreateASelfSignedP256CaForTwoYears() throws Exception {
        X509Certificate ca = ClusterCa.loadOrCreate(dir.resolve("ca")).certificate();

        ca.verify(ca.getPublicKey());
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(ca.getPublicKey().toString()).contains("secp256r1");
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant()).toDays()).isBetween(728L, 730L);
    }

    @Test
    void shouldKeepTheCaInFilesOnlyItsOwnerCanRead() throws Exception {
        Path folder = dir.resolve("ca");

        ClusterCa.loadOrCreate(folder);

        assertThat(mode(folder)).isEqualTo("rwx------");
        assertThat(mode(folder.resolve(ClusterCa.KEY_FILE))).isEqualTo("rw-------");
        assertThat(mode(folder.resolve(ClusterCa.CERT_FILE))).isEqualTo("rw-------");
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(ClusterCa.KEY_FILE, ClusterCa.CERT_FILE);
        }
    }

    @Test
    void shouldIssueAServerCertificateThatChainsToTheCaWithServerAuthOnly() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("ca"));

        RelayIdentity server = ca.issueServer("control-plane", List.of("10.0.0.5", "::1"), List.of("manager.local"));

        X509Certificate leaf = server.certificate();
        assertChainsTo(leaf, ca.certificate());
        assertThat(server.ca()).isEqualTo(ca.certificate());
        assertThat(server.commonName()).isEqualTo("control-plane");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(RelayTls.SERVER_AUTH);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)).toList())
                .containsExactlyInAnyOrder("10.0.0.5", "0:0:0:0:0:0:0:1", "manager.local");
        assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant()).toDays()).isBetween(363L, 365L);
    }

    @Test
    void shouldIssueAnAgentCertificateWithClientAuthOnly() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("ca"));

        RelayIdentity agent = ca.issueAgent("agent-node-1");

        assertChainsTo(agent.certificate(), ca.certificate());
        assertThat(agent.commonName()).isEqualTo("agent-node-1");
        assertThat(agent.certificate().getExtendedKeyUsage()).containsExactly(RelayTls.CLIENT_AUTH);
        assertThat(agent.certificate().getSerialNumber())
                .isNotEqualTo(ca.issueAgent("agent-node-1").certificate().getSerialNumber());
    }

    @Test
    void shouldRoundTripAnIdentityThroughItsFiles() throws Exception {
        RelayIdentity agent = ClusterCa.loadOrCreate(dir.resolve("ca")).issueAgent("agent-node-1");
        Path folder = dir.resolve("agent");

        agent.writeTo(folder);
        RelayIdentity read = RelayIdentity.readFrom(folder);

        assertThat(read.key().getEncoded()).isEqualTo(agent.key().getEncoded());
        assertThat(read.chain()).isEqualTo(agent.chain());
        assertThat(read.ca()).isEqualTo(agent.ca());
        assertThat(mode(folder)).isEqualTo("rwx------");
        assertThat(mode(folder.resolve(RelayIdentity.KEY_FILE))).isEqualTo("rw-------");
        assertThat(Files.readString(folder.resolve(RelayIdentity.KEY_FILE))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(RelayIdentity.existsIn(folder)).isTrue();
        assertThat(read.toString()).doesNotContain("PRIVATE").contains("agent-node-1");
    }

    @Test
    void shouldRefuseIdentityFilesWhoseKeyIsNotTheCertificates() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("ca"));
        ca.issueAgent("agent-1").writeTo(dir.resolve("one"));
        ca.issueAgent("agent-2").writeTo(dir.resolve("two"));
        Files.copy(dir.resolve("two").resolve(RelayIdentity.KEY_FILE),
                dir.resolve("one").resolve(RelayIdentity.KEY_FILE), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> RelayIdentity.readFrom(dir.resolve("one")))
                .isInstanceOf(RelayCredentialException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void shouldRefuseIdentityFilesWhoseCertificateIsNotFromTheirCa() {
        RelayIdentity agent = ClusterCa.loadOrCreate(dir.resolve("ca")).issueAgent("agent-1");
        X509Certificate otherCa = ClusterCa.loadOrCreate(dir.resolve("other")).certificate();
        new RelayIdentity(agent.key(), agent.chain(), otherCa).writeTo(dir.resolve("mixed"));

        assertThatThrownBy(() -> RelayIdentity.readFrom(dir.resolve("mixed")))
                .isInstanceOf(RelayCredentialException.class)
                .hasMessageContaining("not issued by its CA");
    }

    @Test
    void shouldRefuseACaKeyOthersCanRead() throws Exception {
        Path folder = dir.resolve("ca");
        ClusterCa.loadOrCreate(folder);
        Files.setPosixFilePermissions(folder.resolve(ClusterCa.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ClusterCa.loadOrCreate(folder))
                .isInstanceOf(RelayCredentialException.class)
                .hasMessageContaining("open to other users");
    }

    @Test
    void shouldRefuseAnIncompleteCaRatherThanReplaceIt() throws Exception {
        Path folder = dir.resolve("ca");
        ClusterCa.loadOrCreate(folder);
        Files.delete(folder.resolve(ClusterCa.CERT_FILE));

        assertThatThrownBy(() -> ClusterCa.loadOrCreate(folder))
                .isInstanceOf(RelayCredentialException.class)
                .hasMessageContaining("incomplete");
        assertThat(folder.resolve(ClusterCa.KEY_FILE)).exists();
    }

    @Test
    void shouldRefuseMalformedNames() {
        ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("ca"));

        assertThatThrownBy(() -> ca.issueServer("relay", List.of("relay.example"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ca.issueServer("relay", List.of(), List.of("bad_name.example")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ca.issueServer("relay", List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ca.issueAgent("CN=x, O=y")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertChainsTo(X509Certificate leaf, X509Certificate ca) {
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
        } catch (Exception e) {
            throw new AssertionError("does not chain to the CA: " + e, e);
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
