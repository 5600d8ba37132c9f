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
     * @param folder the plugin slot's folder on this node ({@code <node root>/<node id>/<slot folder>}, {@code NodeFolders})
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
     * Closes the post and removes the slot's folder (code and IPC) from this node; the plugin's data folder, if it has
     * one there, is elsewhere ({@code <data root>/<node id>/<plugin id>/data}, {@link DataFiles}: only an uninstall
     * removes it).
     */
    void remove() throws IOException {
        close();
        for (String part : new String[] {"code", "ipc"}) {
            CodeFiles.empty(folder.resolve(part));
            Files.deleteIfExists(folder.resolve(part));
        }
        try {
            Files.deleteIfExists(folder);
        } catch (DirectoryNotEmptyException notOurs) {
            // something the agent did not put there: left as it is
        }
    }
}
