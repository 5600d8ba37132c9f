package io.logomesh.host.container;

import java.time.Duration;
import java.util.Optional;

/**
 * A started plugin container: a thin handle over a narrow slice of the engine's API.
 * Every method is safe to call on a container that has already vanished.
 */
public interface PluginContainer {

    /** The engine's container id. */
    String id();

    /** SIGTERM, then SIGKILL once {@code grace} has passed; returns when it has stopped. */
    void stop(Duration grace);

    /**
     * SIGKILL at once, no grace: for a plugin past its deadline or not reading what it is sent.
     * Returns when the engine has taken the signal; a container already gone is not an error.
     */
    default void kill() {
        stop(Duration.ZERO);
    }

    /**
     * Gives the container another name (labels cannot change; the name can), e.g. to start a second
     * container of the same plugin beside it during an upgrade, or a prewarmed cell becoming
     * {@code logomesh-<id>} when a plugin takes it. A container that is gone already is left so (it holds no
     * name any more).
     *
     * @throws io.logomesh.host.container.ContainerEngineException if the engine refuses (name taken, engine gone)
     */
    void rename(String name);

    /** Removes the container (force), with its anonymous volumes. */
    void remove();

    /**
     * Waits up to {@code timeout} for the container to end and says how it ended;
     * empty when the container is gone and nothing can be known.
     */
    Optional<ContainerExit> awaitExit(Duration timeout);

    /**
     * Cluster mode: where the container's task ran and runs now ({@link ContainerPlacement}), asked of the manager
     * and the node links at each call; empty on a single host (a container there never moves).
     */
    default Optional<ContainerPlacement> placement() {
        return Optional.empty();
    }

    /**
     * Cluster mode: the swarm moved the container's task and the host took up its new connection: records the node
     * the task runs on now as the one it runs on ({@link ContainerPlacement#ranOn()}) and returns it; empty when no
     * task runs (or on a single host).
     */
    default Optional<String> resettle() {
        return Optional.empty();
    }
}
