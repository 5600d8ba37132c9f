package io.logomesh.host.ipc.relay;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The control plane's decision for one relay connection: which local plugin socket (a {@code host.sock} of a
 * {@code PluginEndpoint}) the agent's bytes go to.
 *
 * <p>Contract: called once per connection, after the TLS handshake (the agent's certificate is from the
 * cluster CA and carries clientAuth) and a well-formed header, on that connection's virtual thread, within
 * its setup deadline. An empty answer refuses the connection (closed, nothing sent, nothing connected). An
 * exception counts as a refusal too. The plugin's identity is the socket chosen here, never anything the
 * relayed bytes say.
 */
@FunctionalInterface
public interface RelayRoute {

    /**
     * @param pluginId        the plugin the agent says it speaks for (already checked against
     *                        {@link RelayHeader#PLUGIN_ID})
     * @param nodeId          the swarm node the agent says it runs on (checked against {@link RelayHeader#NODE_ID})
     * @param agentCommonName the common name of the agent's certificate, as issued by {@link ClusterCa#issueAgent}
     * @return the Unix socket to connect to, or empty to refuse
     */
    Optional<Path> socketFor(String pluginId, String nodeId, String agentCommonName);

    /**
     * The route for a connection of one slot of the plugin: {@code next} when the header ends {@link
     * RelayHeader#NEXT} (the version an upgrade starts beside the running one). A route that knows no slots refuses
     * every {@code next} connection.
     */
    default Optional<Path> socketFor(String pluginId, String nodeId, String agentCommonName, boolean next) {
        return next ? Optional.empty() : socketFor(pluginId, nodeId, agentCommonName);
    }

    /**
     * A route that tells a plugin's two slots apart: it decides each connection knowing its slot, and so must know
     * which slot's task runs where (a connection of one slot never reaches the other slot's socket).
     */
    @FunctionalInterface
    interface BySlot extends RelayRoute {

        @Override
        Optional<Path> socketFor(String pluginId, String nodeId, String agentCommonName, boolean next);

        @Override
        default Optional<Path> socketFor(String pluginId, String nodeId, String agentCommonName) {
            return socketFor(pluginId, nodeId, agentCommonName, false);
        }
    }
}
