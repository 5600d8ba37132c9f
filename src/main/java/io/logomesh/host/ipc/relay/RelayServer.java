package io.logomesh.host.ipc.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * The control plane's end of the relay: accepts node agents over mutual TLS and pipes each connection into
 * the local plugin socket its {@link RelayRoute} chooses, where the unchanged IPC code serves it.
 *
 * <p>Contract: one virtual thread {@code relay-accept} accepts; each connection is set up on its own virtual
 * thread ({@link RelayConnection}): TLS 1.3 handshake (client certificate of the CA with clientAuth
 * required), one {@link RelayHeader}, the route, the connect to the Unix socket, all within
 * {@link RelayLimits#setupDeadline()}; then a {@link BytePump} carries the bytes. At most
 * {@link RelayLimits#maxConnections()} are held at once, set up or piped; one more is closed at once,
 * before TLS. A refused connection (over the limit, failed handshake, bad header, empty route, deadline,
 * socket unreachable) is closed with no application byte sent (TLS may send its alert), logged in one
 * line (the first and every hundredth) and counted ({@link #refusedConnections()}). {@link #close()} stops
 * accepting and closes every connection.
 */
public final class RelayServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RelayServer.class);
    private static final long REFUSAL_LOG_EVERY = 100;
    private static final int BACKLOG = 128;

    private final ServerSocket server;
    private final SSLContext tls;
    private final RelayRoute route;
    private final RelayRoute egressRoute;
    private final RelayControl control;
    private final RelayLimits limits;
    private final Semaphore permits;
    private final ScheduledExecutorService deadlines;
    private final Set<RelayConnection> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong numbers = new AtomicLong();

    private RelayServer(ServerSocket server, SSLContext tls, RelayRoute route, RelayRoute egressRoute,
                        RelayControl control, RelayLimits limits) {
        this.server = server;
        this.tls = tls;
        this.route = route;
        this.egressRoute = egressRoute;
        this.control = control;
        this.limits = limits;
        this.permits = new Semaphore(limits.maxConnections());
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("relay-deadlines").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        this.deadlines = timer;
    }

    /**
     * Listens on {@code bind} (port 0: an ephemeral port, see {@link #port()}) and starts accepting.
     *
     * @param server a context from {@link RelayTls#server}
     * @throws RelayBindException if the address cannot be bound
     */
    public static RelayServer start(InetSocketAddress bind, SSLContext server, RelayRoute route, RelayLimits limits) {
        return start(bind, server, route, null, limits);
    }

    /**
     * As {@link #start(InetSocketAddress, SSLContext, RelayRoute, RelayLimits)}, serving the node agents' control
     * links too ({@code control} headers, handed to {@code control}; without it they are refused).
     */
    public static RelayServer start(InetSocketAddress bind, SSLContext server, RelayRoute route, RelayControl control,
                                    RelayLimits limits) {
        return start(bind, server, route, null, control, limits);
    }

    /**
     * As {@link #start(InetSocketAddress, SSLContext, RelayRoute, RelayControl, RelayLimits)}, relaying the plugins'
     * egress connections too ({@code egress} headers, to the socket {@code egressRoute} names: the plugin's egress
     * proxy; without it they are refused).
     */
    public static RelayServer start(InetSocketAddress bind, SSLContext server, RelayRoute route, RelayRoute egressRoute,
                                    RelayControl control, RelayLimits limits) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(bind, BACKLOG);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new RelayBindException("cannot listen for relay agents on " + bind + ": " + e.getMessage(), e);
        }
        RelayServer relay = new RelayServer(socket, server, route, egressRoute, control, limits);
        Thread.ofVirtual().name("relay-accept").start(relay::acceptLoop);
        return relay;
    }

    /** The port listened on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Connections held now: being set up or piped. */
    public int activeConnections() {
        return live.size();
    }

    /** Connections refused since start. */
    public long refusedConnections() {
        return refused.get();
    }

    /** Stops accepting and closes every connection. Idempotent. */
    @Override
    public void close() {
        closeQuietly(server);
        deadlines.shutdownNow();
        for (RelayConnection connection : live) {
            connection.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warnf("relay: accepting failed: %s", e.toString());
                    pause();
                }
                continue;
            }
            if (!permits.tryAcquire()) {
                closeQuietly(socket);
                refuse(socket.getRemoteSocketAddress().toString(), "more than " + limits.maxConnections()
                        + " connections");
                continue;
            }
            RelayConnection connection = new RelayConnection(this, socket, numbers.incrementAndGet());
            live.add(connection);
            if (server.isClosed()) {
                connection.close();
            }
            Thread.ofVirtual().name("relay-conn-" + connection.number()).start(connection::setUp);
        }
    }

    SSLContext tls() {
        return tls;
    }

    RelayRoute route() {
        return route;
    }

    /** The route of {@code egress} connections; null: they are refused. */
    RelayRoute egressRoute() {
        return egressRoute;
    }

    RelayControl control() {
        return control;
    }

    RelayLimits limits() {
        return limits;
    }

    ScheduledExecutorService deadlines() {
        return deadlines;
    }

    /** A connection ended (refused or piped and done): frees its place. Once per connection. */
    void ended(RelayConnection connection) {
        if (live.remove(connection)) {
            permits.release();
        }
    }

    /** Counts and logs a refusal; the caller has closed the connection. */
    void refuse(String peer, String why) {
        long count = refused.incrementAndGet();
        if (count == 1 || count % REFUSAL_LOG_EVERY == 0) {
            LOG.warnf("relay: refused a connection from %s: %s (%d refused so far)", peer, why, count);
        } else {
            LOG.debugf("relay: refused a connection from %s: %s", peer, why);
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debugf("relay: closing failed: %s", e.toString());
        }
    }
}
