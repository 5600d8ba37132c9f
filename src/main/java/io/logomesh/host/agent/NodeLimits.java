package io.logomesh.host.agent;

import io.logomesh.host.ipc.relay.LimitsOrder;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * The limits of plugin containers on this node, set through its engine ({@code docker update}), where a swarm
 * service spec on Engine API 1.41 cannot reach:
 * <ul>
 *   <li>right after a plugin container starts ({@link #started}): memory+swap = its memory limit, so a plugin never
 *       swaps, whether or not the node has swap (the spec has no {@code MemorySwap} before API 1.52);</li>
 *   <li>on the control plane's {@code update} order ({@link #apply}, a grant given or taken back): memory, memory+swap
 *       = memory, {@code NanoCpus} and {@code PidsLimit} of the service's container, if it runs on this node.</li>
 * </ul>
 */
final class NodeLimits {

    private static final Logger LOG = Logger.getLogger(NodeLimits.class.getName());

    /**
     * What the engine is told ({@code docker update}); a {@code null} leaves that limit as it is.
     *
     * @param memoryBytes     {@code Memory}
     * @param memorySwapBytes {@code MemorySwap} (memory+swap)
     * @param nanoCpus        {@code NanoCpus}
     * @param pidsLimit       {@code PidsLimit}
     */
    record Update(long memoryBytes, long memorySwapBytes, Long nanoCpus, Long pidsLimit) {
    }

    /** This node's engine, as far as limits go ({@link NodeEngine}). */
    interface Engine {

        /** The container's memory limit as its engine has it, 0 when it has none (or is gone). */
        long memoryOf(String containerId);

        /** {@code docker update}. @throws RuntimeException with the engine's reason when it refuses */
        void update(String containerId, Update update);
    }

    private final NodeContainers containers;
    private final Engine engine;

    NodeLimits(NodeContainers containers, Engine engine) {
        this.containers = containers;
        this.engine = engine;
    }

    /**
     * Applies the order to the service's running container on this node.
     *
     * @return false when no container of the service runs here (another node's, or none)
     * @throws IllegalStateException with the engine's reason when it refuses (e.g. memory below what is in use)
     */
    boolean apply(LimitsOrder order) {
        Optional<String> container = containers.containerOf(order.serviceId());
        if (container.isEmpty()) {
            return false;
        }
        try {
            engine.update(container.get(), of(order));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the engine refused the new limits of " + container.get() + ": "
                    + e.getMessage(), e);
        }
        LOG.info("limits of service " + order.serviceId() + " (container " + container.get() + "): memory "
                + order.memoryBytes() + " = memory+swap, NanoCpus " + order.nanoCpus() + ", pids "
                + order.pidsLimit());
        return true;
    }

    /** A plugin container just started: memory+swap = memory (a no-op on a node without swap). */
    void started(String containerId) {
        try {
            noSwap(engine.memoryOf(containerId)).ifPresent(u -> engine.update(containerId, u));
        } catch (RuntimeException e) {
            LOG.warning("setting memory+swap of " + containerId + " failed: " + e.getMessage());
        }
    }

    /** What an {@code update} order becomes: memory+swap = memory, with the CPU and pids limits. */
    static Update of(LimitsOrder order) {
        return new Update(order.memoryBytes(), order.memoryBytes(), order.nanoCpus(), order.pidsLimit());
    }

    /** memory+swap = memory, the rest untouched; nothing for a container without a memory limit. */
    static Optional<Update> noSwap(long memoryBytes) {
        return memoryBytes > 0 ? Optional.of(new Update(memoryBytes, memoryBytes, null, null)) : Optional.empty();
    }
}
