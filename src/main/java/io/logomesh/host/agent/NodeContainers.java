package io.logomesh.host.agent;

import java.util.Optional;

/** Which container runs a plugin's service on this node, and its init process ({@link NodeEngine} asks the engine). */
interface NodeContainers {

    /** The running container of the service on this node, if it has one here. */
    Optional<String> containerOf(String serviceId);

    /** The container's init process (as this node's root pid namespace numbers it), 0 when unknown. */
    long pidOf(String containerId);

    /** Drops what is known of a container (its cgroup is gone: it ended, and a new one may run). */
    void forget(String serviceId, String containerId);
}
