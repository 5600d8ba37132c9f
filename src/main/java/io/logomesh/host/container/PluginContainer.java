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
     * Renames the container (e.g. a prewarmed cell becoming {@code logomesh-<id>} when a plugin takes it).
     *
     * Throws the engine's error when it refuses (e.g. the name is still taken).
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
     * Connects the running container to the host's plugin network (leaving {@code none}) or
     * disconnects it again (back to {@code none}): a {@code network} permission granted or
     * revoked at run time. Idempotent.
     *
     * @throws io.logomesh.host.container.ContainerEngineException if the engine refuses
     */
    default void setNetworkAccess(boolean enabled) {
        throw new UnsupportedOperationException("this container cannot change its network");
    }
}
