package io.logomesh.host.agent;

import io.logomesh.host.container.docker.swarm.NodeFolders;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The node agent's settings, from its environment (the agent's swarm service sets them; the node id with the
 * engine's template {@code {{.Node.ID}}}).
 *
 * @param controlPlane the control plane's relay address ({@code LOGOMESH_AGENT_CONTROL_PLANE}, host:port)
 * @param nodeId       this node's swarm id ({@code LOGOMESH_AGENT_NODE_ID})
 * @param nodeRoot     the folder under which this node keeps the plugins' folders, the same path as on the node
 *                     ({@code LOGOMESH_AGENT_NODE_ROOT}, see {@code NodeFolders})
 * @param dataRoot     the folder under which this node keeps the plugins' data folders, the same path as on the
 *                     node ({@code LOGOMESH_AGENT_DATA_ROOT}, default: the node root)
 * @param tlsDir       the agent's key, certificate and the control plane's CA ({@code LOGOMESH_AGENT_TLS_DIR},
 *                     default {@code /run/secrets}: the swarm secrets the service mounts)
 * @param engine       this node's engine socket ({@code LOGOMESH_AGENT_ENGINE}, {@code unix:///…}); without it the
 *                     agent neither reads stats nor reports the engine's events
 * @param cgroupRoot   the node's cgroup hierarchy as mounted into the agent ({@code LOGOMESH_AGENT_CGROUP_ROOT},
 *                     default {@code /host/sys/fs/cgroup})
 * @param procRoot     the node's {@code /proc} as mounted into the agent ({@code LOGOMESH_AGENT_PROC_ROOT}, default
 *                     {@code /host/proc})
 */
public record AgentConfig(InetSocketAddress controlPlane, String nodeId, Path nodeRoot, Path dataRoot, Path tlsDir,
                          Optional<String> engine, Path cgroupRoot, Path procRoot) {

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
        if (root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NodeFolders.MAX_ROOT_BYTES) {
            throw new IllegalArgumentException("LOGOMESH_AGENT_NODE_ROOT is longer than " + NodeFolders.MAX_ROOT_BYTES
                    + " bytes, too long for the plugins' sockets under it: " + root);
        }
        Path tls = Path.of(env.getOrDefault("LOGOMESH_AGENT_TLS_DIR", "/run/secrets"));
        Optional<String> engine = Optional.ofNullable(env.get("LOGOMESH_AGENT_ENGINE")).map(String::trim)
                .filter(e -> !e.isEmpty());
        if (engine.isPresent() && !engine.get().startsWith("unix:///")) {
            throw new IllegalArgumentException("LOGOMESH_AGENT_ENGINE is not a unix socket (unix:///…): "
                    + engine.get());
        }
        return new AgentConfig(new InetSocketAddress(hostPort.group(1), Integer.parseInt(hostPort.group(2))), node,
                root, absolute(env, "LOGOMESH_AGENT_DATA_ROOT", root.toString()), tls, engine,
                absolute(env, "LOGOMESH_AGENT_CGROUP_ROOT", "/host/sys/fs/cgroup"),
                absolute(env, "LOGOMESH_AGENT_PROC_ROOT", "/host/proc"));
    }

    private static Path absolute(Map<String, String> env, String name, String fallback) {
        Path p = Path.of(env.getOrDefault(name, fallback));
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(name + " must be absolute: " + p);
        }
        return p;
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value.trim();
    }
}
