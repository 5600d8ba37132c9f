package io.logomesh.host.container;

/** Changes the limits of a running container in place (what {@code docker update} does). */
public interface ContainerResources {

    /**
     * Sets the memory limit (memory and memory+swap together, so there is still no swap) and the CPU quota;
     * when it returns, the kernel enforces them and the engine's record ({@code docker inspect}) shows them.
     *
     * @throws ContainerEngineException when the engine refuses (e.g. a memory limit below what is in use)
     */
    void update(String containerId, long memoryBytes, double cpuPercent);

    /**
     * Memory (= memory+swap), CPU and pids limits, in force when it returns: what a prewarmed cell is given when
     * a plugin takes it, on the activation path. Where the container's cgroup files can be written from here,
     * they are (microseconds) and the engine's record follows a moment later; elsewhere the engine's update is
     * waited for.
     *
     * @throws ContainerEngineException when the kernel or the engine refuses
     */
    void applyLive(String containerId, long memoryBytes, double cpuPercent, long pidsLimit);
}
