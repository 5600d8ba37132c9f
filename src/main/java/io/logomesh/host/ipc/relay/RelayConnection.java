package io.logomesh.host.ipc.relay;

import java.io.IOException;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.jboss.logging.Logger;

/**
 * One accepted agent connection of a {@link RelayServer}, from accept until its pump ends. {@link #setUp()}
 * runs on the connection's own virtual thread: handshake, header, route, Unix connect, then the pump; a
 * timer closes the transport (and a pending Unix connect) if that takes longer than the setup deadline, which
 * unblocks whatever step is waiting, byte-by-byte trickles included.
 */
final class RelayConnection {

    private static final Logger LOG = Logger.getLogger(RelayConnection.class);

    private final RelayServer server;
    private final Socket transport;
    private final long number;
    private final String peer;
    private volatile SSLSocket tls;
    private volatile SocketChannel plugin;
    private volatile BytePump pump;
    private volatile boolean expired;
    private volatile boolean closed;

    RelayConnection(RelayServer server, Socket transport, long number) {
        this.server = server;
        this.transport = transport;
        this.number = number;
        this.peer = String.valueOf(transport.getRemoteSocketAddress());
    }

    long number() {
        return number;
    }

    void setUp() {
        ScheduledFuture<?> deadline = null;
        try {
            deadline = server.deadlines().schedule(this::expire, server.limits().setupDeadline().toMillis(),
                    TimeUnit.MILLISECONDS);
            SSLSocket socket = (SSLSocket) server.tls().getSocketFactory().createSocket(transport, null, true);
            tls = socket;
            RelayTls.configureServer(socket);
            socket.startHandshake();
            String agent = RelayTls.agentCommonName(socket.getSession());
            RelayHeader header = RelayHeader.read(socket.getInputStream());
            switch (header) {
                case RelayHeader.Plugin plugin -> relay(socket, "plugin", plugin.pluginId(), plugin.nodeId(),
                        plugin.next(), server.route(), agent, deadline);
                case RelayHeader.Egress egress -> relay(socket, "egress of plugin", egress.pluginId(),
                        egress.nodeId(), egress.next(), server.egressRoute(), agent, deadline);
                case RelayHeader.Control control -> link(socket, control, agent, deadline);
            }
        } catch (RelayHeaderException e) {
            refuse(deadline, e.getMessage());
        } catch (RejectedExecutionException e) {
            refuse(deadline, "the relay server is closing");
        } catch (IOException | RuntimeException e) {
            refuse(deadline, expired ? "not set up within " + server.limits().setupDeadline().toMillis() + " ms"
                    : e.toString());
        }
    }

    /**
     * Routes a {@code plugin} or {@code egress} connection by {@code route} (none: refused), connects to the socket
     * it names and starts the pump.
     */
    private void relay(SSLSocket socket, String kind, String pluginId, String nodeId, boolean next, RelayRoute route,
                       String agent, ScheduledFuture<?> deadline) throws IOException {
        String what = kind + " " + pluginId + (next ? " (next slot)" : "") + " from node " + nodeId + " (agent "
                + agent + ")";
        Path target = route == null ? null : route(route, pluginId, nodeId, next, agent);
        if (target == null) {
            refuse(deadline, "the route refused " + what);
            return;
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        plugin = channel;
        if (closed) {
            throw new IOException("closed");
        }
        channel.connect(UnixDomainSocketAddress.of(target));
        if (!deadline.cancel(false) || closed) {
            throw new IOException("closed");
        }
        pump = BytePump.start("relay-" + number, BytePump.End.of(socket, transport), BytePump.End.of(channel),
                () -> server.ended(this));
        if (closed) {
            pump.close();
        }
        LOG.debugf("relay: %s relays %s to %s", peer, what, target);
    }

    /**
     * Hands a {@code control} connection to the server's {@link RelayControl} for as long as the link lasts (its
     * setup deadline ends here); without one, refuses it.
     */
    private void link(SSLSocket socket, RelayHeader.Control header, String agent, ScheduledFuture<?> deadline) {
        RelayControl control = server.control();
        if (control == null) {
            refuse(deadline, "no control link is served here (node " + header.nodeId() + ", agent " + agent + ")");
            return;
        }
        if (!deadline.cancel(false) || closed) {
            refuse(deadline, "closed");
            return;
        }
        try {
            control.serve(header.nodeId(), agent, socket);
        } catch (RuntimeException e) {
            LOG.warnf(e, "relay: the control link of node %s failed", header.nodeId());
        } finally {
            close();
            RelayServer.closeQuietly(socket);
            server.ended(this);
        }
    }

    /** The route's answer; null to refuse. A failing route refuses too, and is logged as the host's fault. */
    private static Path route(RelayRoute route, String pluginId, String nodeId, boolean next, String agent) {
        Optional<Path> target;
        try {
            target = route.socketFor(pluginId, nodeId, agent, next);
        } catch (RuntimeException e) {
            LOG.warnf(e, "relay: the route failed for plugin %s from node %s", pluginId, nodeId);
            return null;
        }
        return target == null ? null : target.orElse(null);
    }

    private void expire() {
        expired = true;
        close();
    }

    /** Closes the connection wherever it is; the pump, if running, frees the connection's place. */
    void close() {
        closed = true;
        BytePump running = pump;
        if (running != null) {
            running.close();
            return;
        }
        RelayServer.closeQuietly(transport); // first: no close_notify, and a blocked handshake read wakes
        RelayServer.closeQuietly(plugin);
    }

    private void refuse(ScheduledFuture<?> deadline, String why) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        close();
        RelayServer.closeQuietly(tls);
        server.refuse(peer, why);
        server.ended(this);
    }
}
