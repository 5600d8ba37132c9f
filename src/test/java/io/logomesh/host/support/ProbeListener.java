package io.logomesh.host.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A TCP port the test itself serves on every host address (so the bridge gateway too): a
 * container can reach it only through a network. Accepts and closes every connection.
 */
public final class ProbeListener implements AutoCloseable {

    private final ServerSocket socket;

    private ProbeListener(ServerSocket socket) {
        this.socket = socket;
    }

    public static ProbeListener open() {
        try {
            ProbeListener probe = new ProbeListener(new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0")));
            Thread.ofVirtual().start(probe::acceptAll);
            return probe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                socket.accept().close();
            } catch (IOException e) {
                return;
            }
        }
    }
}
