package io.logomesh.host.container.docker.swarm;

import java.util.Optional;

/**
 * One task of a plugin's service, as the swarm manager reports it.
 *
 * @param id           task id
 * @param nodeId       the node it was placed on (empty while unassigned)
 * @param state        its state ({@code running}, {@code failed}, {@code rejected}, …)
 * @param desiredState what the orchestrator wants it to be ({@code running}, {@code shutdown})
 * @param containerId  its container on that node, once created
 * @param error        why it failed or was rejected, if it did
 * @param exitCode     its container's exit status, once it ended (0 before)
 */
public record ServiceTask(String id, Optional<String> nodeId, String state, String desiredState,
                          Optional<String> containerId, Optional<String> error, long exitCode) {

    /** Whether the task runs and is meant to. */
    public boolean running() {
        return "running".equals(state) && "running".equals(desiredState);
    }
}
