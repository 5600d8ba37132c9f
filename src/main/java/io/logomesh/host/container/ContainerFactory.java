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
     * Removes every container labelled with this host's id whose plugin id is not in {@code keep}.
     *
     * @return how many were removed
     */
    int removeLeftovers(Set<String> keep);

    /** Whether the image exists locally. */
    boolean imageExists(String image);
}
