package io.logomesh.host.cluster;

import io.logomesh.host.container.docker.swarm.PluginSlot;
import io.logomesh.host.container.docker.swarm.ServiceTask;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The part of a relayed connection's route that tells a plugin's two slots apart ({@link PluginSlot}: the running
 * version's and the one an upgrade starts beside it). A connection headed with a slot is served only when the
 * manager has a task of <em>that slot's</em> service, meant to run, on the agent's node, and it goes only to that
 * slot's socket ({@code <ipc root>/<slot folder>/<socket>}). So while both versions run, even on one node, the old
 * task's connections reach only the old endpoint and the new task's only the new one: each task mounts only its
 * slot's node folder, whose socket the agent relays headed with that slot, and the route checks the slot's service.
 */
final class SlotPlacement {

    private SlotPlacement() {
    }

    /**
     * Whether a service of {@code slot} (by its labels: plugin and {@link PluginSlot#LABEL}) has a task meant to run
     * on {@code nodeId}.
     *
     * @param services this host's services: id → labels
     * @param tasks    a service's tasks, as the manager reports them
     */
    static boolean placedOn(PluginSlot slot, String nodeId, Map<String, Map<String, String>> services,
                            Function<String, List<ServiceTask>> tasks) {
        return nodesOf(slot, services, tasks).contains(nodeId);
    }

    /** The nodes on which a service of {@code slot} has a task meant to run (see {@link #placedOn}). */
    static Set<String> nodesOf(PluginSlot slot, Map<String, Map<String, String>> services,
                               Function<String, List<ServiceTask>> tasks) {
        return services.entrySet().stream()
                .filter(e -> PluginSlot.ofLabels(e.getValue()).filter(slot::equals).isPresent())
                .flatMap(e -> tasks.apply(e.getKey()).stream())
                .filter(t -> "running".equals(t.desiredState()) && t.nodeId().isPresent())
                .map(t -> t.nodeId().get())
                .collect(Collectors.toSet());
    }

    /** The slot's socket under the control plane's IPC root, while it exists (its endpoint is open). */
    static Optional<Path> socket(Path ipcRoot, PluginSlot slot, String socketName) {
        Path socket = ipcRoot.resolve(slot.folderName()).resolve(socketName);
        return Files.exists(socket, LinkOption.NOFOLLOW_LINKS) ? Optional.of(socket) : Optional.empty();
    }
}
