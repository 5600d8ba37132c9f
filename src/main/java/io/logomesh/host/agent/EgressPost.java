package io.logomesh.host.agent;

import io.logomesh.host.ipc.OwnedSocket;

import java.nio.file.Path;

/**
 * A networked plugin's way out on this node: {@code ipc/egress.sock} beside its {@code host.sock}, owned by the
 * plugin's uid and accepting only that uid ({@link OwnedSocket}), where its runtime looks for the egress proxy.
 * The proxy itself is the control plane's: each connection accepted here is relayed, as it is, on a TLS
 * connection of its own whose {@code egress} header names this plugin (the one whose socket it came in on, never
 * anything the plugin sent) and this node ({@link Relay}); the control plane hands it to the plugin's egress
 * proxy, whose allow-list, limits and audit decide it. At most {@link #MAX_RELAYS} at once, counted from accept
 * to end ({@link NodeSocket}; the proxy's own per-plugin limit, 16 by default, answers 429 below it); more are
 * closed.
 */
final class EgressPost implements AutoCloseable {

    /** Name of the socket, as the runtimes and the control plane's proxy name it. */
    static final String SOCKET_NAME = "egress.sock";
    /** Relayed egress connections per plugin at once. */
    static final int MAX_RELAYS = 64;

    private final NodeSocket socket;

    private EgressPost(NodeSocket socket) {
        this.socket = socket;
    }

    /** Binds {@code <ipcFolder>/egress.sock} for {@code uid} and starts accepting. */
    static EgressPost open(String pluginId, int uid, Path ipcFolder, Relay relay) {
        return new EgressPost(NodeSocket.open(pluginId, ipcFolder, SOCKET_NAME, uid, MAX_RELAYS, relay));
    }

    /** Unlinks the socket and closes every relayed connection. */
    @Override
    public void close() {
        socket.close();
    }
}
