package io.logomesh.host.ipc.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A cluster CA, a relay server's and an agent's identities, a Unix socket standing for a plugin's
 * {@code host.sock}, and helpers, all made afresh in one test's folder.
 */
final class RelayFixture implements AutoCloseable {

    static final String NODE = "abcdefghij0123456789klmno";
    static final String PLUGIN = "weather-report";
    static final String AGENT = "agent-node-1";

    final ClusterCa ca;
    final RelayIdentity server;
    final RelayIdentity agent;
    final Path pluginSocket;
    final ServerSocketChannel plugin;
    final RecordingRoute route;
    private RelayServer relay;

    RelayFixture(Path dir) throws IOException {
        ca = ClusterCa.loadOrCreate(dir.resolve("ca"));
        server = ca.issueServer("control-plane", List.of("127.0.0.1"), List.of("localhost"));
        agent = ca.issueAgent(AGENT);
        pluginSocket = dir.resolve("host.sock");
        plugin = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        plugin.bind(UnixDomainSocketAddress.of(pluginSocket));
        route = new RecordingRoute(pluginSocket);
    }

    RelayServer start(RelayLimits limits) {
        return start(RelayTls.server(server), limits);
    }

    RelayServer start(javax.net.ssl.SSLContext context, RelayLimits limits) {
        relay = RelayServer.start(new InetSocketAddress("127.0.0.1", 0), context, route, limits);
        return relay;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", relay.port());
    }

    /** Whether a connection is waiting on the plugin socket, without waiting for one. */
    boolean pluginWasConnected() throws IOException {
        plugin.configureBlocking(false);
        try (SocketChannel accepted = plugin.accept()) {
            return accepted != null;
        } finally {
            plugin.configureBlocking(true);
        }
    }

    @Override
    public void close() throws IOException {
        if (relay != null) {
            relay.close();
        }
        plugin.close();
    }

    /** True if the stream ends (or fails) before any byte arrives. */
    static boolean endsWithoutData(InputStream in) {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    static byte[] readFully(InputStream in, int length) throws IOException {
        return in.readNBytes(length);
    }

    /** Polls until {@code condition} holds; the test's {@code @Timeout} bounds the wait. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
