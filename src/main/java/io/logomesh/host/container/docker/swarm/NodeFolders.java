package io.logomesh.host.container.docker.swarm;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a plugin's folders live on the node that runs it. Every node keeps them under
 * {@code <root>/<node id>/<plugin id>/}: {@code code} (read-only at {@code /plugin}), {@code ipc} (read-only
 * at {@code /run/logomesh}, the socket the node agent listens on) and {@code data} (only with
 * {@code fileSystemAccess}). A service names them with the engine's template {@code {{.Node.ID}}}, which the
 * node resolves when it creates the task's container, so a plugin rescheduled to another node finds that node's
 * folders, and one service spec serves every node. Each service mounts only its own plugin's folders. The node's id,
 * not its hostname: hostnames need not be unique (the three engines of the test swarm share one machine's), ids are.
 * The "plugin" of the code and IPC folders is a {@link PluginSlot#folderName()}: {@code <id>}, or {@code <id>.next}
 * for the version an upgrade starts beside the running one; the data folder is the plugin id's.
 *
 * @param root the folder on every node under which the node agent keeps the plugins' folders
 */
public record NodeFolders(Path root) {

    /** The engine's template for the node's id in a service's mount source. */
    public static final String NODE_ID = "{{.Node.ID}}";

    /** A swarm node id: 25 lower-case letters and digits. */
    private static final Pattern NODE = Pattern.compile("[a-z0-9]{25}");

    public NodeFolders {
        if (!root.isAbsolute() || root.toString().contains("{{")) {
            throw new IllegalArgumentException("the node folders' root must be an absolute path without templates: " + root);
        }
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
        return template(pluginId, "data");
    }

    /** A plugin's folder on one node, as that node's agent sees it. */
    public Path onNode(String nodeId, String pluginId) {
        if (!NODE.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("not a swarm node id: " + nodeId);
        }
        return root.resolve(nodeId).resolve(pluginId);
    }

    private String template(String pluginId, String folder) {
        return root + "/" + NODE_ID + "/" + pluginId + "/" + folder;
    }
}
