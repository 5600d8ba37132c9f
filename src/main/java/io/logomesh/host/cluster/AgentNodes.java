package io.logomesh.host.cluster;

import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.NodeRefusedException;
import io.logomesh.host.container.docker.swarm.PluginNodes;
import io.logomesh.host.container.docker.swarm.PluginSlot;
import io.logomesh.host.ipc.relay.AgentLinks;
import io.logomesh.host.ipc.relay.AgentOrderException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The workers' side of a plugin's place, carried out by the node agents over their control links. */
final class AgentNodes implements PluginNodes {

    private static final Duration FORGET_TIMEOUT = Duration.ofSeconds(10);

    private final AgentLinks links;
    private final NodeExits exits;
    private final Consumer<PluginSlot> replaced;

    AgentNodes(AgentLinks links, NodeExits exits) {
        this(links, exits, slot -> { });
    }

    /** @param replaced told the slot before its service is created and after it is removed */
    AgentNodes(AgentLinks links, NodeExits exits, Consumer<PluginSlot> replaced) {
        this.links = links;
        this.exits = exits;
        this.replaced = replaced;
    }

    /** @throws NodeRefusedException when no node is ready for the plugin (503 {@code node_refused}) */
    @Override
    public void prepare(String pluginId, int uid, Map<String, byte[]> files, Duration timeout) {
        prepare(PluginSlot.first(pluginId), uid, files, false, timeout);
    }

    /** @throws NodeRefusedException when no node is ready for the plugin (503 {@code node_refused}) */
    @Override
    public void prepare(String pluginId, int uid, Map<String, byte[]> files, boolean egress, Duration timeout) {
        prepare(PluginSlot.first(pluginId), uid, files, egress, timeout);
    }

    /** @throws NodeRefusedException when no node is ready for the plugin's slot (503 {@code node_refused}) */
    @Override
    public void prepare(PluginSlot slot, int uid, Map<String, byte[]> files, boolean egress, Duration timeout) {
        replaced.accept(slot);
        try {
            links.prepare(slot.pluginId(), slot.next(), uid, files, egress, timeout);
        } catch (AgentOrderException e) {
            throw new NodeRefusedException("no swarm node is ready for the plugin: " + e.getMessage());
        }
    }

    @Override
    public void forget(String pluginId) {
        forget(PluginSlot.first(pluginId));
    }

    @Override
    public void forget(PluginSlot slot) {
        replaced.accept(slot);
        links.forget(slot.pluginId(), slot.next(), FORGET_TIMEOUT);
    }

    @Override
    public Set<String> linked() {
        return links.nodes();
    }

    @Override
    public void prepareData(String nodeId, String pluginId, int uid, boolean fresh, Duration timeout) {
        links.prepareData(nodeId, pluginId, uid, fresh, timeout);
    }

    @Override
    public void release(String nodeId, String pluginId, Duration timeout) {
        links.release(nodeId, pluginId, timeout);
    }

    @Override
    public Optional<ContainerExit> exitOf(String serviceId) {
        return exits.of(serviceId);
    }
}
