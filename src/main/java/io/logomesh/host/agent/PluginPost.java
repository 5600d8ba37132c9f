package io.logomesh.host.agent;

import io.logomesh.host.ipc.OwnedSocket;
import io.logomesh.host.ipc.PluginEndpoint;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One plugin's place on this node: its code folder, filled from what the control plane sent, and its socket
 * {@code ipc/host.sock}, owned by the plugin's uid and accepting only that uid ({@link OwnedSocket}). Each
 * connection the plugin makes there is relayed, as it is, to the control plane over a connection of its own
 * whose header names this plugin and this node ({@link Relay}): the control plane learns who speaks from the
 * socket the bytes came in on, never from a frame. At most {@link #MAX_RELAYS} connections at once (a reconnect
 * while the old one drains), counted from accept to end ({@link NodeSocket}); more are closed.
 */
final class PluginPost implements AutoCloseable {

    /** Relayed connections per plugin at once. */
    static final int MAX_RELAYS = 2;

    private final Path folder;
    private final NodeSocket socket;

    private PluginPost(Path folder, NodeSocket socket) {
        this.folder = folder;
        this.socket = socket;
    }

    /**
     * Fills the plugin's code folder under {@code folder}, binds its socket and starts accepting.
     *
     * @param folder the plugin's folder on this node ({@code <node root>/<node id>/<plugin id>})
     */
    static PluginPost open(String pluginId, int uid, Path folder, Map<String, byte[]> code, Relay relay)
            throws IOException {
        CodeFiles.write(folder.resolve("code"), code);
        return new PluginPost(folder, NodeSocket.open(pluginId, folder.resolve("ipc"),
                PluginEndpoint.SOCKET_NAME, uid, MAX_RELAYS, relay));
    }

    /** Replaces the plugin's code (an upgrade); the socket stays. */
    void refill(Map<String, byte[]> code) throws IOException {
        CodeFiles.write(folder.resolve("code"), code);
    }

    /** Connections relayed now (accepted and not yet ended). */
    int relayed() {
        return socket.relayed();
    }

    @Override
    public void close() {
        socket.close();
    }

    /**
     * Closes the post and removes the plugin's code and IPC folders from this node; its data folder, if it has one
     * there, stays ({@link DataFiles}: only an uninstall removes it), and so does the plugin's folder holding it.
     */
    void remove() throws IOException {
        close();
        for (String part : new String[] {"code", "ipc"}) {
            CodeFiles.empty(folder.resolve(part));
            Files.deleteIfExists(folder.resolve(part));
        }
        try {
            Files.deleteIfExists(folder);
        } catch (DirectoryNotEmptyException keptData) {
            // its data folder is in it
        }
    }
}
