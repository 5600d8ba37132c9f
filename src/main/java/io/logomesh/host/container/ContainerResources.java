package io.logomesh.host.container;

/** Changes the limits of a running container in place (what {@code docker update} does). */
public interface ContainerResources {

    /**
     * Sets the memory limit (memory and memory+swap together, so there is still no swap) and the CPU quota.
     *
     * @throws ContainerEngineException when the engine refuses (e.g. a memory limit below what is in use)
     */
    void update(String containerId, long memoryBytes, double cpuPercent);

    /**
     * As {@link #update(String, long, double)}, and the pids limit too: what a prewarmed cell is given when a
     * plugin takes it.
     *
     * @throws ContainerEngineException when the engine refuses
     */
    void update(String containerId, long memoryBytes, double cpuPercent, long pidsLimit);
}
