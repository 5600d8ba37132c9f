package io.logomesh.host.agent;

import io.logomesh.host.ipc.OwnedSocket;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A plugin's socket on this node ({@code host.sock}, {@code egress.sock}) whose every connection is relayed to
 * the control plane: owned by the plugin's uid and accepting only that uid ({@link OwnedSocket}), at most
 * {@code maxRelays} relayed at once; more, and strangers, are closed.
 *
 * <p>Contract: a connection's place is taken when it is accepted, before its relay is opened, and given back
 * exactly once: when its relay ends (also before {@link Relay#open} has returned), when opening fails, or at
 * {@link #close()}. A failed {@code accept} is logged and retried after a pause that doubles from
 * {@link #FIRST_PAUSE} to {@link #MAX_PAUSE} (reset by the next accept); only closing the socket ends the loop.
 */
final class NodeSocket implements AutoCloseable {

    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(NodeSocket.class.getName());

    /** Takes the next connection from the bound socket: its {@code accept}, or a test's. */
    interface Acceptor {
        SocketChannel accept(ServerSocketChannel server) throws IOException;
    }

    private final String pluginId;
    private final OwnedSocket socket;
    private final int maxRelays;
    private final Relay relay;
    private final Acceptor acceptor;
    private final Set<Place> places = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private NodeSocket(String pluginId, OwnedSocket socket, int maxRelays, Relay relay, Acceptor acceptor) {
        this.pluginId = pluginId;
        this.socket = socket;
        this.maxRelays = maxRelays;
        this.relay = relay;
        this.acceptor = acceptor;
    }

    /** Binds {@code <folder>/<name>} for {@code uid} and starts accepting on a daemon thread. */
    static NodeSocket open(String pluginId, Path folder, String name, int uid, int maxRelays, Relay relay) {
        return open(pluginId, folder, name, uid, maxRelays, relay, null);
    }

    /** As {@link #open}, taking connections from {@code acceptor} (null: the bound socket's) instead. */
    static NodeSocket open(String pluginId, Path folder, String name, int uid, int maxRelays, Relay relay,
                           Acceptor acceptor) {
        OwnedSocket bound = OwnedSocket.bind(pluginId, folder, name, uid);
        NodeSocket node = new NodeSocket(pluginId, bound, maxRelays, relay,
                acceptor == null ? ServerSocketChannel::accept : acceptor);
        Thread.ofPlatform().daemon().name("agent-accept-" + name + "-" + pluginId).start(node::acceptLoop);
        return node;
    }

    /** Connections whose place is taken now: accepted and not yet ended. */
    int relayed() {
        return places.size();
    }

    private void acceptLoop() {
        long pauseMs = FIRST_PAUSE.toMillis();
        while (!closed) {
            SocketChannel plugin;
            try {
                plugin = acceptor.accept(socket.server());
                pauseMs = FIRST_PAUSE.toMillis();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed || !socket.server().isOpen()) {
                    return;
                }
                LOG.warning("plugin " + pluginId + ": accepting on " + name() + " failed (" + e + "); trying again in "
                        + pauseMs + " ms");
                if (!pause(pauseMs)) {
                    return;
                }
                pauseMs = Math.min(MAX_PAUSE.toMillis(), pauseMs * 2);
                continue;
            }
            // one thread adds places, so the count cannot pass the cap between this check and the add
            if (!socket.fromPeer(plugin) || places.size() >= maxRelays) {
                LOG.warning("plugin " + pluginId + ": refused a connection on " + name() + " ("
                        + socket.stranger(plugin).orElse("more than " + maxRelays + " at once") + ")");
                closeQuietly(plugin);
                continue;
            }
            Place place = new Place();
            places.add(place);
            if (closed) {
                place.close();
                closeQuietly(plugin);
                return;
            }
            Thread.ofVirtual().name("agent-relay-" + name() + "-" + pluginId).start(() -> relayOf(plugin, place));
        }
    }

    private void relayOf(SocketChannel plugin, Place place) {
        try {
            place.opened(relay.open(pluginId, plugin, ended -> place.release()));
        } catch (IOException | RuntimeException e) {
            place.release();
            LOG.warning("plugin " + pluginId + ": cannot reach the control plane for a connection on " + name() + " ("
                    + e.getMessage() + "); it is closed");
            closeQuietly(plugin);
        }
    }

    private String name() {
        return String.valueOf(socket.path().getFileName());
    }

    /** Unlinks the socket and closes every relayed connection. */
    @Override
    public void close() {
        closed = true;
        socket.close();
        places.forEach(Place::close);
    }

    /** One connection's place under the cap, from its accept to its end. */
    private final class Place {
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile AutoCloseable relayed;

        /** The relay is open: closed at once if the socket was closed meanwhile. */
        void opened(AutoCloseable relay) {
            relayed = relay;
            if (closed) {
                close();
            }
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                places.remove(this);
            }
        }

        void close() {
            release();
            AutoCloseable open = relayed;
            if (open != null) {
                closeQuietly(open);
            }
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing what failed
        }
    }
}
