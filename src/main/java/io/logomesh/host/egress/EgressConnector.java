package io.logomesh.host.egress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Opens the proxy's outgoing TCP connection to one checked address (the seam tests replace to prove what
 * was, or was not, attempted). The address is always a resolved {@link java.net.InetAddress}, never a name.
 */
@FunctionalInterface
public interface EgressConnector {

    /** A connected, blocking channel to {@code address}, or an exception within about {@code timeout}. */
    SocketChannel connect(InetSocketAddress address, Duration timeout) throws IOException;

    /** Plain TCP with a connect deadline. */
    static EgressConnector tcp() {
        return (address, timeout) -> {
            if (address.isUnresolved()) {
                throw new IOException("refusing to connect to an unresolved address");
            }
            SocketChannel channel = SocketChannel.open();
            try {
                channel.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                channel.socket().setTcpNoDelay(true);
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        };
    }
}
