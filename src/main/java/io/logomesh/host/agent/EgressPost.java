package io.logomesh.host.agent;

import io.logomesh.host.ipc.OwnedSocket;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A networked plugin's way out on this node: {@code ipc/egress.sock} beside its {@code host.sock}, owned by the
 * plugin's uid and accepting only that uid ({@link OwnedSocket}), where its runtime looks for the egress proxy.
 * The proxy itself is the control plane's: each connection accepted here is relayed, as it is, on a TLS
 * connection of its own whose {@code egress} header names this plugin (the one whose socket it came in on, never
 * anything the plugin sent) and this node ({@link Relay}); the control plane hands it to the plugin's egress
 * proxy, whose allow-list, limits and audit decide it. At most {@link #MAX_RELAYS} at once (the proxy's own
 * per-plugin limit, 16 by default, answers 429 below it); more are closed.
 */
final class EgressPost implements AutoCloseable {

    /** Name of the socket, as the runtimes and the control plane's proxy name it. */
    static final String SOCKET_NAME = "egress.sock";
    /** Relayed egress connections per plugin at once. */
    static final int MAX_RELAYS = 64;

    private static final Logger LOG = Logger.getLogger(EgressPost.class.getName());

    private final String pluginId;
    private final OwnedSocket socket;
    private final Relay relay;
    private final Set<AutoCloseable> relays = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private EgressPost(String pluginId, OwnedSocket socket, Relay relay) {
        this.pluginId = pluginId;
        this.socket = socket;
        this.relay = relay;
    }

    /** Binds {@code <ipcFolder>/egress.sock} for {@code uid} and starts accepting. */
    static EgressPost open(String pluginId, int uid, Path ipcFolder, Relay relay) {
        EgressPost post = new EgressPost(pluginId, OwnedSocket.bind(pluginId, ipcFolder, SOCKET_NAME, uid), relay);
        Thread.ofPlatform().daemon().name("agent-egress-accept-" + pluginId).start(post::acceptLoop);
        return post;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel plugin;
            try {
                plugin = socket.server().accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "plugin " + pluginId + ": egress accept failed", e);
                }
                return;
            }
            if (!socket.fromPeer(plugin) || relays.size() >= MAX_RELAYS) {
                LOG.warning("plugin " + pluginId + ": refused an egress connection ("
                        + socket.stranger(plugin).orElse("more than " + MAX_RELAYS + " at once") + ")");
                closeQuietly(plugin);
                continue;
            }
            AtomicReference<AutoCloseable> opened = new AtomicReference<>();
            AutoCloseable place = () -> {
                AutoCloseable c = opened.get();
                if (c != null) {
                    c.close();
                }
            };
            relays.add(place);
            Thread.ofVirtual().name("agent-egress-" + pluginId).start(() -> relayOf(plugin, place, opened));
        }
    }

    /**
     * {@code place} holds the relay's place from its accept until it ends (a short connection may end before
     * {@link Relay#open} returns), so the bound counts exactly the connections still there.
     */
    private void relayOf(SocketChannel plugin, AutoCloseable place, AtomicReference<AutoCloseable> opened) {
        try {
            opened.set(relay.open(pluginId, plugin, ended -> relays.remove(place)));
            if (closed) {
                closeQuietly(place);
            }
        } catch (IOException | RuntimeException e) {
            relays.remove(place);
            LOG.warning("plugin " + pluginId + ": cannot reach the control plane's egress proxy (" + e.getMessage()
                    + "); its egress connection is closed");
            closeQuietly(plugin);
        }
    }

    /** Unlinks the socket and closes every relayed connection. */
    @Override
    public void close() {
        closed = true;
        socket.close();
        relays.forEach(EgressPost::closeQuietly);
        relays.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing what failed
        }
    }
}
