package io.logomesh.host.container.docker.swarm;

import io.logomesh.host.EngineReason;
import io.logomesh.host.container.NodeRefusedException;
import io.logomesh.host.container.NodeUnavailableException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where the {@code /data} of a plugin with {@code fileSystemAccess} lives in cluster mode: on one worker's disk,
 * the node its first placement chose ({@link NodePins}); each start of its service is pinned there
 * ({@code node.id==<node>}) after that node's agent has made the folder ready ({@code agent/DataFiles}). A start
 * whose node is not ready and active in the swarm, or whose agent is not linked, fails at once with
 * {@link NodeUnavailableException} rather than leaving a task pending until the activation's deadline: the data is
 * not moved to another node. Uninstalling the plugin has its node delete the folder and drops the pin.
 */
final class PinnedData {

    private static final Logger LOG = Logger.getLogger(PinnedData.class);
    /** How long a node may take to make a data folder ready, or to delete one. */
    static final Duration ORDER_TIMEOUT = Duration.ofSeconds(15);

    private final Supplier<Map<String, WorkerStatus>> workers;
    private final PluginNodes nodes;
    private final NodePins pins;
    /** Held by a first placement and by settling owed deletions. */
    private final Object owing = new Object();

    /** @param workers the swarm's workers now, by id ({@link SwarmServices#workers()}) */
    PinnedData(Supplier<Map<String, WorkerStatus>> workers, PluginNodes nodes, NodePins pins) {
        this.workers = workers;
        this.nodes = nodes;
        this.pins = pins;
    }

    /**
     * Makes the plugin's data folder ready on its node (choosing and recording that node at its first placement).
     *
     * @return the node its service is to be pinned to
     * @throws NodeUnavailableException when its node (or, the first time, every worker) cannot take it now
     * @throws NodeRefusedException when the node's agent could not make the folder ready (503 {@code node_refused},
     *         restarted by policy without counting it, as a node that refuses a plugin's code)
     */
    String place(String pluginId, int uid) {
        Map<String, WorkerStatus> workers = this.workers.get();
        Set<String> linked = nodes.linked();
        Optional<String> pinned = pins.nodeOf(pluginId);
        String node;
        if (pinned.isPresent()) {
            node = pinned.get();
            WorkerStatus status = workers.get(node);
            String why = status == null ? "is no longer a worker of the swarm"
                    : !status.available() ? status.why()
                    : !linked.contains(node) ? "has no node agent linked" : "";
            if (!why.isEmpty()) {
                throw new NodeUnavailableException("the node holding the data of plugin " + pluginId + ", " + node
                        + (status == null || status.hostname().isEmpty() ? "" : " (" + status.hostname() + ")") + ", "
                        + why + "; the plugin starts again once it is back (its data is not moved)");
            }
            prepare(node, pluginId, uid, false);
            return node;
        }
        synchronized (owing) { // a deletion owed there must not empty the folder between its preparing and its pin
            node = pins.choose(workers.values().stream().filter(WorkerStatus::available).map(WorkerStatus::id)
                    .filter(linked::contains).toList()).orElseThrow(() -> new NodeUnavailableException(
                    "no worker is ready, active and linked to hold the data of plugin " + pluginId));
            prepare(node, pluginId, uid, true);
            pins.pin(pluginId, node);
        }
        LOG.infof("plugin %s: its /data is on node %s (pinned there)", pluginId, node);
        return node;
    }

    private void prepare(String node, String pluginId, int uid, boolean fresh) {
        try {
            nodes.prepareData(node, pluginId, uid, fresh, ORDER_TIMEOUT);
        } catch (RuntimeException e) {
            // the node's side (its agent refused, its disk, a link lost or slow), as a node that refuses the code
            throw new NodeRefusedException("node " + node + " could not make the /data of plugin " + pluginId
                    + " ready (" + EngineReason.of(e.getMessage()) + ")");
        }
    }

    /** The plugin is uninstalled: its node deletes its data folder, and the pin goes (also when the node is away). */
    void release(String pluginId) {
        Optional<String> node = pins.nodeOf(pluginId);
        if (node.isEmpty()) {
            return;
        }
        try {
            nodes.release(node.get(), pluginId, ORDER_TIMEOUT);
            LOG.infof("plugin %s: its /data on node %s deleted", pluginId, node.get());
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: uninstalled, but node %s did not delete its /data (%s); it is deleted there once"
                    + " the node's agent links again", pluginId, node.get(), e.getMessage());
            owe(pluginId, node.get());
        }
        try {
            pins.unpin(pluginId);
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: its pin to node %s could not be removed: %s", pluginId, node.get(), e.getMessage());
        }
    }

    private void owe(String pluginId, String node) {
        try {
            pins.owe(pluginId, node);
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: the deletion node %s owes could not be recorded: %s", pluginId, node, e.getMessage());
        }
    }

    /**
     * Has each node that was away at an uninstall, and whose agent is linked now, delete the data folder it still
     * holds (called every few seconds). A folder of a plugin pinned to that node again (installed anew and placed
     * there) is not touched: its first placement emptied it.
     */
    void settleOwed() {
        if (pins.owed().isEmpty()) {
            return;
        }
        synchronized (owing) {
            settle(nodes.linked());
        }
    }

    private void settle(Set<String> linked) {
        for (NodePins.Owed o : pins.owed()) {
            if (pins.nodeOf(o.plugin()).filter(o.node()::equals).isPresent()) {
                pins.settle(o);
            } else if (linked.contains(o.node())) {
                try {
                    nodes.release(o.node(), o.plugin(), ORDER_TIMEOUT);
                    pins.settle(o);
                    LOG.infof("plugin %s (uninstalled): its /data on node %s deleted now", o.plugin(), o.node());
                } catch (RuntimeException e) {
                    LOG.debugf("plugin %s: node %s still holds its /data: %s", o.plugin(), o.node(), e.getMessage());
                }
            }
        }
    }
}
