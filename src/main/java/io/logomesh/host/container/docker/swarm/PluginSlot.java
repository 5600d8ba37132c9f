package io.logomesh.host.container.docker.swarm;

import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.container.docker.ContainerLabels;

import java.nio.file.Path;
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
 *   <tr><td>IPC folder on the control plane, folder on each node ({@link #folderName()})</td>
 *       <td>{@code <id>}</td><td>{@code <id>.next}</td></tr>
 *   <tr><td>swarm service ({@link #serviceName()})</td><td>{@code logomesh-<id>}</td><td>{@code logomesh-<id>_2}</td></tr>
 *   <tr><td>service label {@value #LABEL}</td><td>{@code first}</td><td>{@code next}</td></tr>
 *   <tr><td>relay header</td><td>{@code plugin <id> <node>}</td><td>{@code plugin <id> <node> next}</td></tr>
 * </table>
 *
 * <p>No name of one plugin's slot is a name of another plugin's: plugin ids have neither {@code .} nor {@code _}.
 * A service name may not have {@code .} (the swarm wants a DNS label, at most 63 characters: {@code _2} keeps the
 * 50-character ids within it).
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

    /** The slot's folder: under the control plane's IPC root, and under {@code <root>/<node id>/} on every node. */
    public String folderName() {
        return next ? pluginId + NEXT_FOLDER_SUFFIX : pluginId;
    }

    /** The name of the slot's swarm service. */
    public String serviceName() {
        return ContainerLabels.containerName(pluginId) + (next ? NEXT_SERVICE_SUFFIX : "");
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
