package io.logomesh.host.container.docker;

import java.util.Map;

/** The labels every plugin container carries, so the host and anyone else can find them. */
public final class ContainerLabels {

    /** The plugin id. */
    public static final String PLUGIN = "io.logomesh.plugin";
    /** The host instance that created the container. */
    public static final String HOST = "io.logomesh.host";

    private ContainerLabels() {
    }

    static Map<String, String> of(String pluginId, String hostId) {
        return Map.of(PLUGIN, pluginId, HOST, hostId);
    }

    /** The container name for a plugin. */
    public static String containerName(String pluginId) {
        return "logomesh-" + pluginId;
    }
}
