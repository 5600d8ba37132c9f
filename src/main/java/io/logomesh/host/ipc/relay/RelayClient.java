package io.logomesh.host.ipc.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The node agent's end of the relay: opens one TLS connection to the control plane per plugin connection it
 * accepted, and pumps the plugin's bytes through it.
 *
 * <p>Contract: {@link #connect} returns a socket whose TLS 1.3 handshake is done (the server's certificate
 * is from the CA, carries serverAuth and names the host or IP literal of {@code controlPlane}) and whose
 * header is sent. Under TLS 1.3 the server checks the agent's certificate after the agent's side of the
 * handshake has finished, so a refused agent learns it at its first read (end of stream or an
 * {@code SSLException}), not here; so does one whose header or route was refused.
 */
public final class RelayClient {

    private RelayClient() {
    }

    /**
     * Connects, handshakes and sends {@code header}, each step bounded by {@code timeout}.
     *
     * @param client a context from {@link RelayTls#client}
     * @throws RelayConnectException if the connect or the handshake fails or times out
     */
    public static SSLSocket connect(InetSocketAddress controlPlane, SSLContext client, RelayHeader header,
            Duration timeout) {
        SSLSocket socket = handshake(controlPlane, client, timeout);
        try {
            header.write(socket.getOutputStream());
            return socket;
        } catch (IOException e) {
            RelayServer.closeQuietly(socket);
            throw new RelayConnectException("cannot send the relay header to " + controlPlane + ": " + e, e);
        }
    }

    /**
     * Pumps an accepted plugin connection through {@code relay} (from {@link #connect}) until both are done;
     * {@code onClose} runs once when both are closed.
     */
    public static BytePump pump(SocketChannel plugin, SSLSocket relay, Runnable onClose) throws IOException {
        return BytePump.start("agent-relay", BytePump.End.of(plugin), BytePump.End.of(relay), onClose);
    }

    /** Connects and handshakes without sending a header (tests send their own bytes). */
    static SSLSocket handshake(InetSocketAddress controlPlane, SSLContext client, Duration timeout) {
        Socket transport = new Socket();
        SSLSocket socket = null;
        int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        try {
            transport.connect(controlPlane, millis);
            socket = (SSLSocket) client.getSocketFactory().createSocket(transport, controlPlane.getHostString(),
                    controlPlane.getPort(), true);
            RelayTls.configureClient(socket);
            socket.setSoTimeout(millis);
            socket.startHandshake();
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException | RuntimeException e) {
            RelayServer.closeQuietly(transport);
            RelayServer.closeQuietly(socket);
            throw new RelayConnectException("cannot open a relay connection to " + controlPlane + ": " + e, e);
        }
    }
}
