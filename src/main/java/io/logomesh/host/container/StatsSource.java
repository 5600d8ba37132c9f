package io.logomesh.host.container;

/** Reads the counters of a running plugin container. */
public interface StatsSource {

    /**
     * One reading of the container's counters.
     *
     * @throws StatsUnavailableException when neither the cgroup files nor the engine answer for it
     */
    ContainerStats read(String containerId);

    /** Forgets what was cached about a container (it ended, or its limits were just changed). */
    default void forget(String containerId) {
    }
}
