package io.logomesh.host.container.docker.swarm;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a plugin's folders live on the node that runs it. Every node keeps them under
 * {@code <root>/<node id>/<plugin id>/}: {@code code} (read-only at {@code /plugin}), {@code ipc} (read-only
 * at {@code /run/logomesh}, the socket the node agent listens on); a plugin with {@code fileSystemAccess} has
 * {@code <data root>/<node id>/<plugin id>/data} too, on the one node its data is pinned to ({@code NodePins}). The
 * data root is the same folder unless set apart ({@code logomesh.cluster.node-data-root}: the root is short, for
 * socket paths, and often on a tmpfs such as {@code /run}; data belongs on a disk). A service names them with the engine's template {@code {{.Node.ID}}}, which the
 * node resolves when it creates the task's container, so a plugin rescheduled to another node finds that node's
 * folders, and one service spec serves every node. Each service mounts only its own plugin's folders. The node's id,
 * not its hostname: hostnames need not be unique (the three engines of the test swarm share one machine's), ids are.
 * The "plugin" of the code and IPC folders is a {@link PluginSlot#folderName()}: {@code <id>}, or {@code <id>.next}
 * for the version an upgrade starts beside the running one; the data folder is the plugin id's.
 *
 * @param root     the folder on every node under which the node agent keeps the plugins' folders
 * @param dataRoot the folder on every node under which it keeps the plugins' data folders
 */
public record NodeFolders(Path root, Path dataRoot) {

    /** The engine's template for the node's id in a service's mount source. */
    public static final String NODE_ID = "{{.Node.ID}}";

    /** A swarm node id: 25 lower-case letters and digits. */
    private static final Pattern NODE = Pattern.compile("[a-z0-9]{25}");

    public NodeFolders {
        for (Path p : new Path[] {root, dataRoot}) {
            if (!p.isAbsolute() || p.toString().contains("{{")) {
                throw new IllegalArgumentException("the node folders' root must be an absolute path without templates: "
                        + p);
            }
        }
    }

    /** Data folders under the same root as the others. */
    public NodeFolders(Path root) {
        this(root, root);
    }

    /** The mount source of a plugin's code folder, as a service names it. */
    public String codeSource(String pluginId) {
        return template(pluginId, "code");
    }

    /** The mount source of a plugin's IPC folder, as a service names it. */
    public String ipcSource(String pluginId) {
        return template(pluginId, "ipc");
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

    /** A plugin's folder on one node, as that node's agent sees it. */
    public Path onNode(String nodeId, String pluginId) {
        checkNode(nodeId);
        return root.resolve(nodeId).resolve(pluginId);
    }

    private static void checkNode(String nodeId) {
        if (!NODE.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("not a swarm node id: " + nodeId);
        }
    }

    private String template(String pluginId, String folder) {
        return root + "/" + NODE_ID + "/" + pluginId + "/" + folder;
    }
}
