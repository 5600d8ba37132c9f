package io.logomesh.host.container;

import java.util.concurrent.Executor;

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
    default void applyLive(String containerId, long memoryBytes, double cpuPercent, long pidsLimit) {
        applyLive(containerId, memoryBytes, cpuPercent, pidsLimit, task -> Thread.ofVirtual().start(task));
    }

    /**
     * As {@link #applyLive(String, long, double, long)}, with the engine's copy of the limits, where it follows
     * afterwards, told on {@code engineTold} (e.g. {@link AfterStart}: once the start that set them is answered).
     * Updates of one container still reach the engine in the order they were made.
     */
    void applyLive(String containerId, long memoryBytes, double cpuPercent, long pidsLimit, Executor engineTold);
}
