/**
 * The cluster relay: carries a plugin's IPC socket from a worker node to the control plane.
 *
 * <pre>
 * worker node                                   control plane (the host)
 * plugin ─unix─▶ node agent ══ mutual TLS 1.3 ══▶ RelayServer ─unix─▶ PluginEndpoint (host.sock)
 *                (uid check)   RelayClient         RelayHeader → RelayRoute
 * </pre>
 *
 * <p>{@link io.logomesh.host.ipc.relay.ClusterCa} issues both ends' {@link io.logomesh.host.ipc.relay.RelayIdentity};
 * {@link io.logomesh.host.ipc.relay.RelayTls} makes contexts that trust that CA alone. An agent sends one
 * {@link io.logomesh.host.ipc.relay.RelayHeader}; the control plane's
 * {@link io.logomesh.host.ipc.relay.RelayRoute} picks the local socket, and from then on
 * {@link io.logomesh.host.ipc.relay.BytePump} copies bytes it never reads. The plugin's identity is the socket
 * its bytes arrive on, as for a local plugin; no frame can claim another.
 */
package io.logomesh.host.ipc.relay;
