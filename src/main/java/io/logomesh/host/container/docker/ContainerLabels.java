package io.logomesh.host.container.docker;

import java.util.Map;

/** The labels every plugin container carries, so the host and anyone else can find them. */
public final class ContainerLabels {

    /** The plugin id. */
    public static final String PLUGIN = "io.logomesh.plugin";
    /** The host instance that created the container. */
    public static final String HOST = "io.logomesh.host";
    /**
     * The runtime pool a prewarmed container ("cell") was started for; a cell carries this label and
     * {@link #HOST} but no {@link #PLUGIN}. Labels cannot change, so a cell given to a plugin keeps them and
     * is renamed {@code logomesh-<id>} (see {@link #pluginOf}).
     */
    public static final String POOL = "io.logomesh.pool";
    /** Name prefix of a cell that belongs to no plugin yet: {@code logomesh-cell-<runtime>-<n>}. */
    public static final String CELL_PREFIX = "logomesh-cell-";

    private ContainerLabels() {
    }

    static Map<String, String> of(String pluginId, String hostId) {
        return Map.of(PLUGIN, pluginId, HOST, hostId);
    }

    static Map<String, String> ofCell(String pool, String hostId) {
        return Map.of(POOL, pool, HOST, hostId);
    }

    /**
     * Whose container this is, by either label scheme: the {@link #PLUGIN} label of a container started for a
     * plugin, else (a cell) the plugin id in its name {@code logomesh-<id>}; empty for a cell no plugin took
     * yet (named {@code logomesh-cell-…}) and for anything else.
     */
    public static java.util.Optional<String> pluginOf(Map<String, String> labels, String name) {
        if (labels != null && labels.get(PLUGIN) != null) {
            return java.util.Optional.of(labels.get(PLUGIN));
        }
        String bare = name == null ? "" : name.startsWith("/") ? name.substring(1) : name;
        if (labels == null || labels.get(POOL) == null || bare.startsWith(CELL_PREFIX) || !bare.startsWith("logomesh-")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(bare.substring("logomesh-".length()));
    }

    /** The container name for a plugin. */
    public static String containerName(String pluginId) {
        return "logomesh-" + pluginId;
    }
}
