package io.logomesh.host.ipc.relay;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The control plane's certificate authority for the relay: it issues the server certificate of the relay
 * server and one client certificate per node agent, and nothing trusts any other issuer.
 *
 * <p>Contract: {@link #loadOrCreate} creates, on its first call for a folder, an EC P-256 CA (self-signed,
 * basicConstraints CA with path length 0, keyUsage keyCertSign and cRLSign, valid {@value #CA_DAYS} days)
 * and stores it there; later calls load it. Issued certificates are EC P-256, valid {@value #LEAF_DAYS} days
 * (never past the CA's own end), not CAs, keyUsage digitalSignature, and extendedKeyUsage serverAuth
 * ({@link #issueServer}) or clientAuth ({@link #issueAgent}), never both: a server key cannot pose as an
 * agent, nor an agent's as the server. Validity starts an hour back, for clocks that lag.
 *
 * <p>Storage: PEM, {@value #KEY_FILE} (unencrypted PKCS#8, 0600) and {@value #CERT_FILE} (0600) in a 0700
 * folder. Not PKCS#12 with a password: a password kept in a file beside the store protects nothing the file
 * modes do not, and PEM is what {@code openssl} and operators read. A key file open to other users is
 * refused, as ssh does. The certificate is written before the key, so a folder with only one of them is a
 * crash during creation, and is refused rather than silently replaced by a new CA.
 *
 * <p>Not here: revocation and renewal (an agent's certificate is trusted until it expires).
 */
public final class ClusterCa {

    /** The CA's private key file. */
    public static final String KEY_FILE = "ca-key.pem";
    /** The CA's certificate file. */
    public static final String CERT_FILE = "ca-cert.pem";
    /** How long the CA is valid. */
    public static final int CA_DAYS = 730;
    /** How long an issued certificate is valid. */
    public static final int LEAF_DAYS = 365;
    /** Common names of issued certificates: short, printable, safe in a log line. */
    public static final Pattern COMMON_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object CREATION = new Object();

    private final PrivateKey key;
    private final X509Certificate certificate;

    private ClusterCa(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * Loads the CA stored in {@code dir}, or creates and stores one if the folder holds neither file.
     *
     * @throws RelayCredentialException if only one of the two files exists, the key is open to other users,
     *         a file cannot be read or written, or the key does not belong to the certificate
     */
    public static ClusterCa loadOrCreate(Path dir) {
        synchronized (CREATION) {
            Path keyFile = dir.resolve(KEY_FILE);
            Path certFile = dir.resolve(CERT_FILE);
            boolean hasKey = Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS);
            boolean hasCert = Files.exists(certFile, LinkOption.NOFOLLOW_LINKS);
            try {
                if (hasKey && hasCert) {
                    return load(dir, keyFile, certFile);
                }
                if (hasKey || hasCert) {
                    throw new RelayCredentialException("the cluster CA in " + dir + " is incomplete (only "
                            + (hasKey ? KEY_FILE : CERT_FILE) + "); restore the other file or remove both to start"
                            + " a new CA (every issued certificate then stops being trusted)");
                }
                return create(dir, keyFile, certFile);
            } catch (IOException e) {
                throw new RelayCredentialException("cannot keep the cluster CA in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** The CA's certificate, the one trust anchor of the relay. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues the relay server's identity, naming the addresses agents connect to (at least one).
     *
     * @throws IllegalArgumentException if the common name, an IP address literal or a DNS name is malformed,
     *         or there is no name at all
     */
    public RelayIdentity issueServer(String commonName, List<String> ipAddresses, List<String> dnsNames) {
        List<GeneralName> names = new ArrayList<>();
        for (String ip : ipAddresses) {
            try {
                names.add(new GeneralName(GeneralName.iPAddress, ip));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an IP address literal: " + ip, e);
            }
        }
        for (String dns : dnsNames) {
            if (dns.length() > 253 || !DNS_NAME.matcher(dns).matches()) {
                throw new IllegalArgumentException("not a DNS name: " + dns);
            }
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs an IP address or a DNS name");
        }
        return issue(commonName, KeyPurposeId.id_kp_serverAuth, new GeneralNames(names.toArray(GeneralName[]::new)));
    }

    /**
     * Issues a node agent's identity (clientAuth only).
     *
     * @throws IllegalArgumentException if the common name does not match {@link #COMMON_NAME}
     */
    public RelayIdentity issueAgent(String commonName) {
        return issue(commonName, KeyPurposeId.id_kp_clientAuth, null);
    }

    private RelayIdentity issue(String commonName, KeyPurposeId purpose, GeneralNames alternativeNames) {
        if (commonName == null || !COMMON_NAME.matcher(commonName).matches()) {
            throw new IllegalArgumentException("common name must match " + COMMON_NAME.pattern() + ": " + commonName);
        }
        try {
            KeyPair pair = newKeyPair();
            Instant now = Instant.now();
            Instant end = min(now.plus(Duration.ofDays(LEAF_DAYS)), certificate.getNotAfter().toInstant());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(end), name(commonName), pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(pair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(certificate));
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
            return new RelayIdentity(pair.getPrivate(), List.of(sign(builder, key)), certificate);
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new RelayCredentialException("cannot issue a certificate for " + commonName + ": " + e.getMessage(),
                    e);
        }
    }

    private static ClusterCa create(Path dir, Path keyFile, Path certFile) throws IOException {
        try {
            KeyPair pair = newKeyPair();
            Instant now = Instant.now();
            X500Name subject = name("LogoMesh Cluster CA " + HexFormat.of().formatHex(serial().toByteArray(), 0, 4));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(CA_DAYS))), subject,
                    pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = sign(builder, pair.getPrivate());
            PemFiles.privateFolder(dir);
            PemFiles.writeCertificates(certFile, PemFiles.SECRET_MODE, List.of(certificate));
            PemFiles.writeKey(keyFile, pair.getPrivate());
            return new ClusterCa(pair.getPrivate(), certificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new RelayCredentialException("cannot create the cluster CA: " + e.getMessage(), e);
        }
    }

    private static ClusterCa load(Path dir, Path keyFile, Path certFile) throws IOException {
        PemFiles.checkSecret(keyFile);
        PrivateKey key = PemFiles.readKey(keyFile);
        X509Certificate certificate = PemFiles.readCertificates(certFile).get(0);
        // self-signed: the signature check and the probe signature prove the key and certificate belong together
        new RelayIdentity(key, List.of(certificate), certificate).check(dir);
        return new ClusterCa(key, certificate);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    /** A positive random 127-bit serial number (RFC 5280: at most 20 octets, at least 64 bits of entropy). */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(126);
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
