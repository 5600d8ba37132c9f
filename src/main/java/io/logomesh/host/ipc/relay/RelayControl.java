package io.logomesh.host.ipc.relay;

import javax.net.ssl.SSLSocket;

/**
 * Serves a node agent's control link ({@code control} header). Called once per such connection, after the TLS
 * handshake (the agent's certificate is from the cluster CA and carries clientAuth) and a well-formed header, on
 * the connection's virtual thread; it blocks for as long as the link lasts and the connection is closed when it
 * returns. The link counts against {@link RelayLimits#maxConnections()} like any other.
 */
@FunctionalInterface
public interface RelayControl {

    /**
     * @param nodeId          the swarm node the agent says it runs on
     * @param agentCommonName the common name of the agent's certificate
     * @param link            the link, its header read
     */
    void serve(String nodeId, String agentCommonName, SSLSocket link);
}
