package io.logomesh.host.container.docker.swarm;

/**
 * A swarm worker as the manager reports it.
 *
 * @param id           the node's id
 * @param hostname     its hostname (need not be unique)
 * @param state        {@code ready}, {@code down}, {@code disconnected} or {@code unknown}
 * @param availability {@code active}, {@code pause} or {@code drain}
 */
public record WorkerStatus(String id, String hostname, String state, String availability) {

    /** Whether the swarm places new tasks on it: it is ready and active. */
    public boolean available() {
        return "ready".equals(state) && "active".equals(availability);
    }

    /** Why it takes no task, for a message ("down", "paused", …); empty when it is available. */
    public String why() {
        if (!"ready".equals(state)) {
            return "is " + state + " in the swarm";
        }
        return available() ? "" : "is set to " + availability + " in the swarm";
    }
}
