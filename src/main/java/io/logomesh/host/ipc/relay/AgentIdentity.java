package io.logomesh.host.ipc.relay;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which node an agent's certificate speaks for. Each worker's agent gets a certificate of its own whose common name
 * names that worker ({@code node-<node id>}); the relay takes a connection's node only from a certificate that names
 * it, so an agent (or whoever holds its key) can speak for its own node and no other.
 */
public final class AgentIdentity {

    /** The common name's prefix before the node id. */
    public static final String PREFIX = "node-";
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9]{1,40}");

    private AgentIdentity() {
    }

    /**
     * The common name of the certificate issued to {@code nodeId}'s agent.
     *
     * @throws IllegalArgumentException if {@code nodeId} is not a swarm node id
     */
    public static String commonName(String nodeId) {
        if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("not a swarm node id: " + nodeId);
        }
        return PREFIX + nodeId;
    }

    /** The node a certificate's common name speaks for, if it names one. */
    public static Optional<String> nodeOf(String commonName) {
        if (commonName == null || !commonName.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String node = commonName.substring(PREFIX.length());
        return NODE_ID.matcher(node).matches() ? Optional.of(node) : Optional.empty();
    }

    /** Whether an agent holding a certificate with {@code commonName} may say it runs on {@code nodeId}. */
    public static boolean speaksFor(String commonName, String nodeId) {
        return nodeId != null && nodeOf(commonName).filter(nodeId::equals).isPresent();
    }
}
