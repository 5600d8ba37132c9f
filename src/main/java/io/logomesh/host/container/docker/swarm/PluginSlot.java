package io.logomesh.host.container.docker.swarm;

import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.container.docker.ContainerLabels;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One of the two places a version of a plugin runs in cluster mode. A plugin has its {@code first} slot, named by
 * its id, and its {@code next} one; an upgrade starts the new version in the slot the running one does not use and
 * the two alternate, as the single host's IPC folders {@code <id>} and {@code <id>.next} do (the control plane's
 * endpoint of each slot is in that folder). Each slot has its own swarm service, node folders, node socket and relay
 * route, so the old and the new version never share one:
 *
 * <table>
 *   <caption>names of a plugin's two slots</caption>
 *   <tr><th></th><th>first</th><th>next</th></tr>
 *   <tr><td>IPC folder on the control plane ({@link #folderName()})</td>
 *       <td>{@code <id>}</td><td>{@code <id>.next}</td></tr>
 *   <tr><td>folder on each node ({@link #nodeFolderName()})</td>
 *       <td>{@code _<hash of "<id>">}</td><td>{@code _<hash of "<id>.next">}</td></tr>
 *   <tr><td>swarm service ({@link #serviceName()})</td><td>{@code logomesh-<id>} ({@code logomesh-<id>_1} for an id
 *       ending in {@code -} or beginning with {@code agent-})</td><td>{@code logomesh-<id>_2}</td></tr>
 *   <tr><td>service label {@value #LABEL}</td><td>{@code first}</td><td>{@code next}</td></tr>
 *   <tr><td>relay header</td><td>{@code plugin <id> <node>}</td><td>{@code plugin <id> <node> next}</td></tr>
 * </table>
 *
 * <p>No name of one plugin's slot is a name of another plugin's: plugin ids have neither {@code .} nor {@code _}.
 * A service name may not have {@code .} and must end in a letter or digit (swarmkit's {@code controlapi}:
 * {@code [a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*}, at most 63 characters: {@code _2} keeps the 50-character ids within it).
 * So the first slot of an id ending in {@code -} is {@code logomesh-<id>_1}; so is that of an id beginning with
 * {@code agent-}, whose {@code logomesh-<id>} could be a node agent's service ({@code logomesh-agent-<node id>}). No
 * other id's first slot has a {@code _}, and every next slot ends in {@code _2}, so these names are no one else's.
 *
 * <p>The folder on a node is not the id: a node socket's path ({@code <node root>/<node id>/<folder>/ipc/egress.sock})
 * must fit the 107 bytes of a Unix socket address, which a 50-character id with {@code .next} passes. It is
 * {@code _} and {@value #NODE_HASH_CHARS} base-32 characters of the SHA-256 of {@link #folderName()} (100 bits): the
 * same length for every plugin, and never a plugin id ({@code _}), so no plugin's data folder
 * ({@code <data root>/<node id>/<id>/data}, when the data root is the node root) is ever in a slot's folder; two slots
 * whose hashes met would not share one, as the node agent refuses a slot on a folder another slot holds. The
 * plugin's identity is still the socket: the agent relays what arrives on a slot's socket headed with that slot,
 * which it keeps beside the socket, never read back from the folder's name.
 *
 * @param pluginId the plugin
 * @param next     whether this is the {@code next} slot
 */
public record PluginSlot(String pluginId, boolean next) {

    /** Label on a plugin's service (and its containers) naming its slot. */
    public static final String LABEL = "io.logomesh.slot";
    /** The IPC folder's suffix of the {@code next} slot (the single host's, {@code PluginHandle.NEXT_SUFFIX}). */
    public static final String NEXT_FOLDER_SUFFIX = ".next";
    /** The service name's suffix of the {@code next} slot. */
    static final String NEXT_SERVICE_SUFFIX = "_2";
    /** The service name's suffix of the {@code first} slot of an id a plain {@code logomesh-<id>} does not fit. */
    static final String FIRST_SERVICE_SUFFIX = "_1";
    /** Base-32 characters of a node folder's hash. */
    static final int NODE_HASH_CHARS = 20;
    /** Length of every slot's folder name on a node ({@link #nodeFolderName()}). */
    public static final int NODE_FOLDER_CHARS = 1 + NODE_HASH_CHARS;
    /** Ids whose {@code logomesh-<id>} could be a node agent's service name. */
    private static final String AGENT_PREFIX = "agent-";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private static final Pattern PLUGIN_ID = Pattern.compile("[a-z0-9-]{1,63}");

    public PluginSlot {
        if (pluginId == null || !PLUGIN_ID.matcher(pluginId).matches()) {
            throw new IllegalArgumentException("not a plugin id: " + pluginId);
        }
    }

    /** The {@code first} slot of a plugin. */
    public static PluginSlot first(String pluginId) {
        return new PluginSlot(pluginId, false);
    }

    /**
     * The slot a container spec is for, by the name of its IPC folder: {@code <id>.next} is the {@code next} slot,
     * any other (the plugin id) the first.
     */
    public static PluginSlot of(ContainerSpec spec) {
        return ofFolder(spec.pluginId(), spec.ipcDir());
    }

    /** As {@link #of(ContainerSpec)}, from the plugin id and its IPC folder. */
    static PluginSlot ofFolder(String pluginId, Path ipcDir) {
        Path name = ipcDir.getFileName();
        return new PluginSlot(pluginId, name != null && name.toString().equals(pluginId + NEXT_FOLDER_SUFFIX));
    }

    /**
     * The slot a folder name names ({@link #folderName()} of some slot).
     *
     * @throws IllegalArgumentException when it names none
     */
    public static PluginSlot parse(String folderName) {
        if (folderName != null && folderName.endsWith(NEXT_FOLDER_SUFFIX)) {
            return new PluginSlot(folderName.substring(0, folderName.length() - NEXT_FOLDER_SUFFIX.length()), true);
        }
        return new PluginSlot(folderName, false);
    }

    /**
     * The slot a plugin service's labels name: its {@link ContainerLabels#PLUGIN} and {@value #LABEL} (absent: the
     * {@code first} slot, as on services made before there were slots); empty for a service of no plugin.
     */
    public static java.util.Optional<PluginSlot> ofLabels(Map<String, String> labels) {
        String plugin = labels.get(ContainerLabels.PLUGIN);
        if (plugin == null || !PLUGIN_ID.matcher(plugin).matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new PluginSlot(plugin, "next".equals(labels.get(LABEL))));
    }

    /** The slot's folder under the control plane's IPC root, and its name in the node agent's posts and logs. */
    public String folderName() {
        return next ? pluginId + NEXT_FOLDER_SUFFIX : pluginId;
    }

    /**
     * The slot's folder under {@code <root>/<node id>/} on every node: {@code _} and the first
     * {@value #NODE_HASH_CHARS} base-32 characters of the SHA-256 of {@link #folderName()}, {@value #NODE_FOLDER_CHARS}
     * characters for every plugin id, so a node socket's path does not grow with the id.
     */
    public String nodeFolderName() {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(folderName().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        StringBuilder name = new StringBuilder(NODE_FOLDER_CHARS).append('_');
        for (int i = 0; i < NODE_HASH_CHARS; i++) {
            int bit = i * 5;
            int word = ((hash[bit / 8] & 0xff) << 8) | (hash[bit / 8 + 1] & 0xff);
            name.append(BASE32[(word >> (11 - bit % 8)) & 0x1f]);
        }
        return name.toString();
    }

    /**
     * The name of the slot's swarm service: {@code logomesh-<id>}, {@code logomesh-<id>_2} for the next slot, and
     * {@code logomesh-<id>_1} for the first slot of an id ending in {@code -} (the swarm refuses a name ending so) or
     * beginning with {@code agent-} (a node agent's name).
     */
    public String serviceName() {
        String base = ContainerLabels.containerName(pluginId);
        if (next) {
            return base + NEXT_SERVICE_SUFFIX;
        }
        return pluginId.endsWith("-") || pluginId.startsWith(AGENT_PREFIX) ? base + FIRST_SERVICE_SUFFIX : base;
    }

    /** The value of the slot's {@value #LABEL} label. */
    public String labelValue() {
        return next ? "next" : "first";
    }

    @Override
    public String toString() {
        return folderName();
    }
}
