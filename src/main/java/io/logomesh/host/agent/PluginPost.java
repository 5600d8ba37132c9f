package io.logomesh.host.agent;

import io.logomesh.host.ipc.OwnedSocket;
import io.logomesh.host.ipc.PluginEndpoint;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One plugin's place on this node: its code folder, filled from what the control plane sent, and its socket
 * {@code ipc/host.sock}, owned by the plugin's uid and accepting only that uid ({@link OwnedSocket}). Each
 * connection the plugin makes there is relayed, as it is, to the control plane over a connection of its own
 * whose header names this plugin and this node ({@link Relay}): the control plane learns who speaks from the
 * socket the bytes came in on, never from a frame. At most {@link #MAX_RELAYS} connections at once (a reconnect
 * while the old one drains); more are closed.
 */
final class PluginPost implements AutoCloseable {

    /** Relayed connections per plugin at once. */
    static final int MAX_RELAYS = 2;

    private static final Logger LOG = Logger.getLogger(PluginPost.class.getName());

    private final String pluginId;
    private final Path folder;
    private final OwnedSocket socket;
    private final Relay relay;
    private final Set<AutoCloseable> relays = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PluginPost(String pluginId, Path folder, OwnedSocket socket, Relay relay) {
        this.pluginId = pluginId;
        this.folder = folder;
        this.socket = socket;
        this.relay = relay;
    }

    /**
     * Fills the plugin's code folder under {@code folder}, binds its socket and starts accepting.
     *
     * @param folder the plugin's folder on this node ({@code <node root>/<node id>/<plugin id>})
     */
    static PluginPost open(String pluginId, int uid, Path folder, Map<String, byte[]> code, Relay relay)
            throws IOException {
        CodeFiles.write(folder.resolve("code"), code);
        OwnedSocket socket = OwnedSocket.bind(pluginId, folder.resolve("ipc"), PluginEndpoint.SOCKET_NAME, uid);
        PluginPost post = new PluginPost(pluginId, folder, socket, relay);
        Thread.ofPlatform().daemon().name("agent-accept-" + pluginId).start(post::acceptLoop);
        return post;
    }

    /** Replaces the plugin's code (an upgrade); the socket stays. */
    void refill(Map<String, byte[]> code) throws IOException {
        CodeFiles.write(folder.resolve("code"), code);
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
                    LOG.log(Level.WARNING, "plugin " + pluginId + ": accept failed", e);
                }
                return;
            }
            if (!socket.fromPeer(plugin) || relays.size() >= MAX_RELAYS) {
                LOG.warning("plugin " + pluginId + ": refused a connection ("
                        + socket.stranger(plugin).orElse("too many at once") + ")");
                closeQuietly(plugin);
                continue;
            }
            Thread.ofVirtual().name("agent-relay-" + pluginId).start(() -> relayOf(plugin));
        }
    }

    private void relayOf(SocketChannel plugin) {
        try {
            AutoCloseable open = relay.open(pluginId, plugin, relays::remove);
            relays.add(open);
        } catch (IOException | RuntimeException e) {
            LOG.warning("plugin " + pluginId + ": cannot reach the control plane (" + e.getMessage()
                    + "); its connection is closed");
            closeQuietly(plugin);
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        relays.forEach(PluginPost::closeQuietly);
        relays.clear();
    }

    /**
     * Closes the post and removes the plugin's code and IPC folders from this node; its data folder, if it has one
     * there, stays ({@link DataFiles}: only an uninstall removes it), and so does the plugin's folder holding it.
     */
    void remove() throws IOException {
        close();
        for (String part : new String[] {"code", "ipc"}) {
            CodeFiles.empty(folder.resolve(part));
            java.nio.file.Files.deleteIfExists(folder.resolve(part));
        }
        try {
            java.nio.file.Files.deleteIfExists(folder);
        } catch (java.nio.file.DirectoryNotEmptyException keptData) {
            // its data folder is in it
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
