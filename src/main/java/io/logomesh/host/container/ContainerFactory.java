package io.logomesh.host.container;

import java.util.Set;

/**
 * Creates plugin containers. Guarantees: every container it creates carries the
 * plugin and host labels and the full lockdown of {@link ContainerSpec}; a container
 * that fails half-way through creation or start is removed before the failure is thrown.
 */
public interface ContainerFactory {

    /**
     * Creates and starts a container.
     *
     * @throws ContainerLaunchException when the engine refuses or fails
     */
    PluginContainer start(ContainerSpec spec);

    /**
     * Creates and starts a prewarmed container ("cell") with the same lockdown as {@link #start}: named
     * {@code logomesh-<spec.pluginId()>} (the pool passes {@code cell-<runtime>-<n>}), labelled with the host
     * id and {@code io.logomesh.pool=<pool>} instead of a plugin id.
     *
     * @throws ContainerLaunchException when the engine refuses or fails (e.g. the name is taken)
     */
    PluginContainer startCell(ContainerSpec spec, String pool);

    /**
     * Removes every container labelled with this host's id whose plugin id is not in {@code keep}: a plugin's
     * by its {@code io.logomesh.plugin} label, a cell a plugin took by its name {@code logomesh-<id>}; a cell
     * no plugin took is always removed (call this before the pool fills, at start-up).
     *
     * @return how many were removed
     */
    int removeLeftovers(Set<String> keep);

    /** Whether the image exists locally. */
    boolean imageExists(String image);

    /**
     * Whether plugin containers run on other machines (cluster mode): they then reach the plugin's endpoint
     * through a node agent and the relay, which connect as the host's own uid (the agent checked the plugin's uid
     * on its node), so the endpoint must accept the host's uid.
     */
    default boolean remote() {
        return false;
    }

    /**
     * The plugin is uninstalled: whatever this factory keeps for it beyond its containers goes (cluster mode: its
     * {@code /data} folder on the node it is pinned to, and the pin). Best effort, never throws: an uninstall is
     * not refused for it. Stopping or removing a container keeps such things (a plugin's data outlives its
     * containers).
     */
    default void released(String pluginId) {
    }
}
