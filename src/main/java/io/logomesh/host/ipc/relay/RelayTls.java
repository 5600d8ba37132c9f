package io.logomesh.host.ipc.relay;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * TLS of the relay: mutual, TLS 1.3 only, one trust anchor (the cluster CA, never the JDK's trust store).
 *
 * <p>Contract: a {@link #server} context trusts a client only if its chain is valid up to the CA and its
 * leaf carries extendedKeyUsage clientAuth (a leaked server key cannot pose as an agent); a {@link #client}
 * context trusts a server only if its chain is valid up to the CA, its leaf carries serverAuth, and (with
 * {@link #configureClient}) its subjectAlternativeName names the address connected to (endpoint
 * identification {@code HTTPS}, which matches IP SANs for an IP literal). Each context presents its one
 * identity whatever issuers the peer asks for, and decides nothing else. Protocol and client-auth
 * settings live on the socket, not the context: {@link #configureServer} and {@link #configureClient}
 * set them, and {@link RelayServer} and {@link RelayClient} always call them.
 */
public final class RelayTls {

    /** The only protocol either side enables. */
    public static final String PROTOCOL = "TLSv1.3";
    /** extendedKeyUsage id-kp-serverAuth. */
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    /** extendedKeyUsage id-kp-clientAuth. */
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private RelayTls() {
    }

    /** The relay server's context: presents {@code identity}, trusts agents of its CA. */
    public static SSLContext server(RelayIdentity identity) {
        return context(identity, CLIENT_AUTH);
    }

    /** An agent's context: presents {@code identity}, trusts the relay server of its CA. */
    public static SSLContext client(RelayIdentity identity) {
        return context(identity, SERVER_AUTH);
    }

    /** TLS 1.3 only and a client certificate required. */
    public static void configureServer(SSLSocket socket) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setNeedClientAuth(true);
        socket.setSSLParameters(parameters);
        socket.setUseClientMode(false);
    }

    /** TLS 1.3 only and the server's certificate must name the host or IP the socket was made for. */
    public static void configureClient(SSLSocket socket) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setUseClientMode(true);
    }

    /**
     * The common name of a handshaken agent, after checking again that its certificate carries clientAuth
     * (for a context that {@link #server} did not make).
     *
     * @throws SSLPeerUnverifiedException if the peer sent no certificate or one without clientAuth
     */
    public static String agentCommonName(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new SSLPeerUnverifiedException("the agent sent no X.509 certificate");
        }
        try {
            requirePurpose(leaf, CLIENT_AUTH);
        } catch (CertificateException e) {
            throw new SSLPeerUnverifiedException(e.getMessage());
        }
        return commonNameOf(leaf);
    }

    /** The first common name of the certificate's subject, or an empty string if it has none. */
    public static String commonNameOf(X509Certificate certificate) {
        RDN[] names = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (names.length == 0 || !(names[0].getFirst().getValue() instanceof ASN1String value)) {
            return "";
        }
        return value.getString();
    }

    static void requirePurpose(X509Certificate leaf, String purpose) throws CertificateException {
        List<String> purposes;
        try {
            purposes = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable extendedKeyUsage", e);
        }
        if (purposes == null || !purposes.contains(purpose)) {
            throw new CertificateException("certificate of " + commonNameOf(leaf) + " lacks extendedKeyUsage "
                    + (CLIENT_AUTH.equals(purpose) ? "clientAuth" : "serverAuth"));
        }
    }

    private static SSLContext context(RelayIdentity identity, String peerPurpose) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("cluster-ca", identity.ca());
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            X509ExtendedTrustManager pkix = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    pkix = extended;
                }
            }
            if (pkix == null) {
                throw new RelayCredentialException("the JDK offers no X509ExtendedTrustManager");
            }
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(new SingleKeyManager[] {new SingleKeyManager(identity)},
                    new TrustManager[] {new PurposeTrustManager(pkix, peerPurpose)}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new RelayCredentialException("cannot build the relay's TLS context: " + e.getMessage(), e);
        }
    }

    /** PKIX up to the CA, then the leaf's extendedKeyUsage; trusts only peers of one role. */
    private static final class PurposeTrustManager extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager pkix;
        private final String purpose;

        PurposeTrustManager(X509ExtendedTrustManager pkix, String purpose) {
            this.pkix = pkix;
            this.purpose = purpose;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            role(CLIENT_AUTH);
            pkix.checkClientTrusted(chain, authType, socket);
            requirePurpose(chain[0], purpose);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            role(SERVER_AUTH);
            pkix.checkServerTrusted(chain, authType, socket);
            requirePurpose(chain[0], purpose);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            role(CLIENT_AUTH);
            pkix.checkClientTrusted(chain, authType, engine);
            requirePurpose(chain[0], purpose);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            role(SERVER_AUTH);
            pkix.checkServerTrusted(chain, authType, engine);
            requirePurpose(chain[0], purpose);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the relay checks peers only on a socket or engine");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the relay checks peers only on a socket or engine");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }

        private void role(String asked) throws CertificateException {
            if (!purpose.equals(asked)) {
                throw new CertificateException("this relay context does not trust "
                        + (CLIENT_AUTH.equals(asked) ? "clients" : "servers"));
            }
        }
    }
}
