package io.logomesh.host.ipc.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One end's credentials on the relay: its private key, its certificate chain (leaf first, issued by the
 * cluster CA) and the CA certificate it trusts, nothing else.
 *
 * <p>On disk ({@link #writeTo}, {@link #readFrom}) it is three PEM files in a 0700 folder: {@value #KEY_FILE}
 * (unencrypted PKCS#8, 0600), {@value #CERT_FILE} (the chain) and {@value #CA_FILE} (0644 both). The control
 * plane writes them for an agent; the agent reads them. Reading checks that the key belongs to the
 * certificate and that the certificate was signed by the CA, so mixed-up files fail at start, not at the
 * first handshake. {@link #toString()} never shows the key.
 *
 * @param key   the private key (EC P-256 when issued by {@link ClusterCa})
 * @param chain the certificate chain, leaf first; not empty
 * @param ca    the cluster CA's certificate, the only one this identity trusts
 */
public record RelayIdentity(PrivateKey key, List<X509Certificate> chain, X509Certificate ca) {

    /** The private key's file name. */
    public static final String KEY_FILE = "key.pem";
    /** The certificate chain's file name. */
    public static final String CERT_FILE = "cert.pem";
    /** The CA certificate's file name. */
    public static final String CA_FILE = "ca.pem";

    public RelayIdentity {
        if (key == null || chain == null || chain.isEmpty() || ca == null) {
            throw new IllegalArgumentException("a relay identity needs a key, a certificate chain and a CA");
        }
        chain = List.copyOf(chain);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The common name of the leaf certificate. */
    public String commonName() {
        return RelayTls.commonNameOf(certificate());
    }

    /**
     * Writes the three files into {@code dir} (created 0700 if missing), each replaced whole.
     *
     * @throws RelayCredentialException if they cannot be written
     */
    public void writeTo(Path dir) {
        try {
            PemFiles.privateFolder(dir);
            PemFiles.writeKey(dir.resolve(KEY_FILE), key);
            PemFiles.writeCertificates(dir.resolve(CERT_FILE), PemFiles.PUBLIC_MODE, chain);
            PemFiles.writeCertificates(dir.resolve(CA_FILE), PemFiles.PUBLIC_MODE, List.of(ca));
        } catch (IOException e) {
            throw new RelayCredentialException("cannot write the relay identity to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the files {@link #writeTo} wrote.
     *
     * @throws RelayCredentialException if a file is missing or unreadable, the key file is open to other
     *         users, the key does not belong to the certificate or the certificate is not the CA's
     */
    public static RelayIdentity readFrom(Path dir) {
        try {
            Path keyFile = dir.resolve(KEY_FILE);
            PemFiles.checkSecret(keyFile);
            RelayIdentity identity = new RelayIdentity(PemFiles.readKey(keyFile),
                    PemFiles.readCertificates(dir.resolve(CERT_FILE)),
                    PemFiles.readCertificates(dir.resolve(CA_FILE)).get(0));
            identity.check(dir);
            return identity;
        } catch (IOException e) {
            throw new RelayCredentialException("cannot read the relay identity in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Checks that the chain ends at the CA and the key belongs to the leaf. */
    void check(Path dir) {
        try {
            chain.get(chain.size() - 1).verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new RelayCredentialException("the certificate in " + dir + " was not issued by its CA", e);
        }
        if (!"EC".equals(key.getAlgorithm())) {
            throw new RelayCredentialException("the key in " + dir + " is " + key.getAlgorithm() + ", not EC");
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate().getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new RelayCredentialException("the key in " + dir + " does not belong to its certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new RelayCredentialException("the key in " + dir + " does not belong to its certificate", e);
        }
    }

    @Override
    public String toString() {
        return "RelayIdentity[" + certificate().getSubjectX500Principal().getName() + ", issued by "
                + ca.getSubjectX500Principal().getName() + "]";
    }

    /** Whether {@code dir} holds all three files (not whether they are valid). */
    public static boolean existsIn(Path dir) {
        return Files.isRegularFile(dir.resolve(KEY_FILE)) && Files.isRegularFile(dir.resolve(CERT_FILE))
                && Files.isRegularFile(dir.resolve(CA_FILE));
    }
}
