package io.logomesh.host.container.docker.swarm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a plugin's folders live on the node that runs it. Every node keeps them under
 * {@code <root>/<node id>/<slot folder>/}: {@code code} (read-only at {@code /plugin}), {@code ipc} (read-only
 * at {@code /run/logomesh}, the sockets the node agent listens on); a plugin with {@code fileSystemAccess} has
 * {@code <data root>/<node id>/<plugin id>/data} too, on the one node its data is pinned to ({@code NodePins}). The
 * data root is the same folder unless set apart ({@code logomesh.cluster.node-data-root}: the root is short, for
 * socket paths, and often on a tmpfs such as {@code /run}; data belongs on a disk). A service names them with the engine's template {@code {{.Node.ID}}}, which the
 * node resolves when it creates the task's container, so a plugin rescheduled to another node finds that node's
 * folders, and one service spec serves every node. Each service mounts only its own plugin's folders. The node's id,
 * not its hostname: hostnames need not be unique (the three engines of the test swarm share one machine's), ids are.
 * The slot folder of the code and IPC folders is a {@link PluginSlot#nodeFolderName()}, of the same length for every
 * plugin id (a hash of {@code <id>}, or of {@code <id>.next} for the version an upgrade starts beside the running
 * one), so that every socket path fits a Unix socket address: a root longer than {@link #MAX_ROOT_BYTES} is refused
 * (the host and the agent then do not start). The data folder is the plugin id's (no socket is in it).
 *
 * @param root     the folder on every node under which the node agent keeps the plugins' folders
 * @param dataRoot the folder on every node under which it keeps the plugins' data folders
 */
public record NodeFolders(Path root, Path dataRoot) {

    /** The engine's template for the node's id in a service's mount source. */
    public static final String NODE_ID = "{{.Node.ID}}";

    /** Length of a swarm node id. */
    static final int NODE_ID_CHARS = 25;
    /** The longest socket name the node agent binds in a slot's {@code ipc} folder ({@code host.sock} is shorter). */
    static final String LONGEST_SOCKET = "egress.sock";
    /** Longest socket path Linux accepts ({@code sun_path} is 108 bytes with the NUL). */
    static final int MAX_SOCKET_PATH_BYTES = 107;
    /**
     * The longest root whose sockets fit: {@code <root>/<node id>/<slot folder>/ipc/egress.sock} within
     * {@value #MAX_SOCKET_PATH_BYTES} bytes.
     */
    public static final int MAX_ROOT_BYTES = MAX_SOCKET_PATH_BYTES
            - ("/" + "n".repeat(NODE_ID_CHARS) + "/" + "s".repeat(PluginSlot.NODE_FOLDER_CHARS) + "/ipc/"
            + LONGEST_SOCKET).length();

    /** A swarm node id: 25 lower-case letters and digits. */
    private static final Pattern NODE = Pattern.compile("[a-z0-9]{" + NODE_ID_CHARS + "}");

    /** @throws IllegalArgumentException for a relative root, a template in it, or a root too long for the sockets */
    public NodeFolders {
        for (Path p : new Path[] {root, dataRoot}) {
            if (!p.isAbsolute() || p.toString().contains("{{")) {
                throw new IllegalArgumentException("the node folders' root must be an absolute path without templates: "
                        + p);
            }
        }
        int bytes = root.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ROOT_BYTES) {
            throw new IllegalArgumentException("the node folders' root " + root + " is " + bytes + " bytes; at most "
                    + MAX_ROOT_BYTES + " leave room for a plugin's socket (<root>/<node id>/<"
                    + PluginSlot.NODE_FOLDER_CHARS + " characters>/ipc/" + LONGEST_SOCKET + " in the "
                    + MAX_SOCKET_PATH_BYTES + " bytes of a Unix socket address): set a shorter "
                    + "logomesh.cluster.node-root");
        }
    }

    /** Data folders under the same root as the others. */
    public NodeFolders(Path root) {
        this(root, root);
    }

    /** The mount source of a plugin slot's code folder, as a service names it. */
    public String codeSource(PluginSlot slot) {
        return template(slot, "code");
    }

    /** The mount source of a plugin slot's IPC folder, as a service names it. */
    public String ipcSource(PluginSlot slot) {
        return template(slot, "ipc");
    }

    /** The mount source of a plugin's data folder, as a service names it. */
    public String dataSource(String pluginId) {
        return dataRoot + "/" + NODE_ID + "/" + pluginId + "/data";
    }

    /** A plugin's data folder on one node, as that node's agent sees it. */
    public Path dataOnNode(String nodeId, String pluginId) {
        checkNode(nodeId);
        return dataRoot.resolve(nodeId).resolve(pluginId).resolve("data");
    }

    /** A plugin slot's folder on one node (holding {@code code} and {@code ipc}), as that node's agent sees it. */
    public Path onNode(String nodeId, PluginSlot slot) {
        checkNode(nodeId);
        return root.resolve(nodeId).resolve(slot.nodeFolderName());
    }

    private static void checkNode(String nodeId) {
        if (!NODE.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("not a swarm node id: " + nodeId);
        }
    }

    private String template(PluginSlot slot, String folder) {
        return root + "/" + NODE_ID + "/" + slot.nodeFolderName() + "/" + folder;
    }
}
