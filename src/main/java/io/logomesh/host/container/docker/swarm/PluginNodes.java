package io.logomesh.host.container.docker.swarm;

import io.logomesh.host.container.ContainerExit;

import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * The workers' side of a plugin's place: the node agents that prepare its folders and socket on every node
 * before its service is created, and forget them once it is removed (implemented over the agents' control
 * links).
 */
public interface PluginNodes {

    /**
     * Has every node prepare the plugin: its code ({@code files}: relative path → bytes) and its socket for
     * {@code uid}.
     *
     * @throws io.logomesh.host.PluginHostException when no node is ready or one refuses
     */
    void prepare(String pluginId, int uid, Map<String, byte[]> files, Duration timeout);

    /**
     * As {@link #prepare(String, int, Map, Duration)}; with {@code egress} (the plugin holds {@code network}) every
     * node opens its {@code egress.sock} too, relayed to the control plane's egress proxy.
     */
    default void prepare(String pluginId, int uid, Map<String, byte[]> files, boolean egress, Duration timeout) {
        if (egress) {
            throw new UnsupportedOperationException("these nodes relay no egress");
        }
        prepare(pluginId, uid, files, timeout);
    }

    /**
     * As {@link #prepare(String, int, Map, boolean, Duration)}, for one slot of the plugin ({@link PluginSlot}): its
     * own folders and socket on every node, beside those of the other slot.
     */
    default void prepare(PluginSlot slot, int uid, Map<String, byte[]> files, boolean egress, Duration timeout) {
        if (slot.next()) {
            throw new UnsupportedOperationException("these nodes keep one slot per plugin");
        }
        prepare(slot.pluginId(), uid, files, egress, timeout);
    }

    /** Has every node forget the plugin; best effort (a node that is away forgets it when told again). */
    void forget(String pluginId);

    /** As {@link #forget(String)}, for one slot of the plugin: the other slot's folders and socket stay. */
    default void forget(PluginSlot slot) {
        if (slot.next()) {
            throw new UnsupportedOperationException("these nodes keep one slot per plugin");
        }
        forget(slot.pluginId());
    }

    /** The nodes whose agent is linked now (only they can be given a plugin's data). */
    default Set<String> linked() {
        return Set.of();
    }

    /**
     * Has one node make the plugin's data folder ready for {@code uid} (the node its data is pinned to); emptied
     * first when {@code fresh} (its first placement).
     *
     * @throws io.logomesh.host.PluginHostException when that node's agent is not linked, refuses or does not answer
     */
    default void prepareData(String nodeId, String pluginId, int uid, boolean fresh, Duration timeout) {
        throw new UnsupportedOperationException("these nodes keep no data");
    }

    /**
     * Has one node forget the plugin and remove its data folder (it was uninstalled).
     *
     * @throws io.logomesh.host.PluginHostException when that node's agent is not linked, refuses or does not answer
     */
    default void release(String nodeId, String pluginId, Duration timeout) {
        throw new UnsupportedOperationException("these nodes keep no data");
    }

    /** How a container of the service ended, as its node's engine reported it (empty: none ended, or unknown). */
    default Optional<ContainerExit> exitOf(String serviceId) {
        return Optional.empty();
    }
}
