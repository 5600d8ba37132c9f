package io.logomesh.host.agent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The node agent's settings, from its environment (the agent's swarm service sets them; the node id with the
 * engine's template {@code {{.Node.ID}}}).
 *
 * @param controlPlane the control plane's relay address ({@code LOGOMESH_AGENT_CONTROL_PLANE}, host:port)
 * @param nodeId       this node's swarm id ({@code LOGOMESH_AGENT_NODE_ID})
 * @param nodeRoot     the folder under which this node keeps the plugins' folders, the same path as on the node
 *                     ({@code LOGOMESH_AGENT_NODE_ROOT}, see {@code NodeFolders})
 * @param tlsDir       the agent's key, certificate and the control plane's CA ({@code LOGOMESH_AGENT_TLS_DIR},
 *                     default {@code /run/secrets}: the swarm secrets the service mounts)
 */
public record AgentConfig(InetSocketAddress controlPlane, String nodeId, Path nodeRoot, Path tlsDir) {

    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9]{25}");
    private static final Pattern HOST_PORT = Pattern.compile("([0-9.]{7,15}|[a-zA-Z0-9.-]{1,253}):([0-9]{1,5})");

    /** Reads the settings, refusing any that is missing or malformed (the agent then exits, saying which). */
    public static AgentConfig fromEnv(Map<String, String> env) {
        String address = required(env, "LOGOMESH_AGENT_CONTROL_PLANE");
        var hostPort = HOST_PORT.matcher(address);
        if (!hostPort.matches() || Integer.parseInt(hostPort.group(2)) > 65_535) {
            throw new IllegalArgumentException("LOGOMESH_AGENT_CONTROL_PLANE is not host:port: " + address);
        }
        String node = required(env, "LOGOMESH_AGENT_NODE_ID");
        if (!NODE_ID.matcher(node).matches()) {
            throw new IllegalArgumentException("LOGOMESH_AGENT_NODE_ID is not a swarm node id: " + node);
        }
        Path root = Path.of(required(env, "LOGOMESH_AGENT_NODE_ROOT"));
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("LOGOMESH_AGENT_NODE_ROOT must be absolute: " + root);
        }
        Path tls = Path.of(env.getOrDefault("LOGOMESH_AGENT_TLS_DIR", "/run/secrets"));
        return new AgentConfig(new InetSocketAddress(hostPort.group(1), Integer.parseInt(hostPort.group(2))), node,
                root, tls);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value.trim();
    }
}
