package io.logomesh.host.cluster;

import io.logomesh.host.container.ContainerResources;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.container.ContainerUpdateException;
import io.logomesh.host.ipc.relay.AgentLinks;
import io.logomesh.host.ipc.relay.AgentOrderException;
import io.logomesh.host.ipc.relay.LimitsOrder;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Cluster mode's live limit changes (grants, an upgrade's grants carried over): a plugin's container runs on a
 * swarm node, so the new limits go as an {@code update} order ({@link LimitsOrder}) over the control links to the
 * agent of the node that runs the service's container, which has its engine apply them there (memory+swap =
 * memory, {@code NanoCpus}, {@code PidsLimit}); it returns once that engine has answered. The container id the
 * host knows is the plugin's service id. The pids cap is the host's ({@code logomesh.limits.pids-limit}), as in
 * the service's spec. The order goes first to the node last seen running the container ({@link ServiceNodes}: from
 * the monitor's readings and earlier updates), alone; to every linked node only when that one is not known, no
 * longer has it or is not linked, and then the answer comes as soon as the node with the container has answered:
 * an agent that is linked but slow delays only the grants of its own plugins.
 */
final class NodeResources implements ContainerResources {

    /** How long the node may take (a {@code docker update} takes well under a second). */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AgentLinks links;
    private final long pidsLimit;
    private final ServiceNodes nodes;

    /** @param nodes where each service's container was last seen (shared with {@link NodeStatsSource}) */
    NodeResources(AgentLinks links, long pidsLimit, ServiceNodes nodes) {
        this.links = links;
        this.pidsLimit = pidsLimit;
        this.nodes = nodes;
    }

    @Override
    public void update(String serviceId, long memoryBytes, double cpuPercent) {
        apply(serviceId, memoryBytes, cpuPercent, pidsLimit);
    }

    /** No prewarmed cells in cluster mode: the same order, waited for. */
    @Override
    public void applyLive(String serviceId, long memoryBytes, double cpuPercent, long pidsLimit, Executor engineTold) {
        apply(serviceId, memoryBytes, cpuPercent, pidsLimit);
    }

    private void apply(String serviceId, long memoryBytes, double cpuPercent, long pids) {
        LimitsOrder order;
        try {
            order = new LimitsOrder(serviceId, memoryBytes, ContainerSpec.nanoCpus(cpuPercent), pids);
        } catch (IllegalArgumentException e) {
            throw new ContainerUpdateException("the new limits are not valid: " + e.getMessage(), e);
        }
        try {
            Optional<String> applied = nodes.of(serviceId).flatMap(node -> links.updateOn(node, order, TIMEOUT));
            if (applied.isEmpty()) {
                applied = links.update(order, TIMEOUT);
            }
            if (applied.isEmpty()) {
                nodes.forget(serviceId);
                throw new ContainerUpdateException("no linked node agent runs a container of service " + serviceId,
                        null);
            }
            nodes.ranOn(serviceId, applied.get());
        } catch (AgentOrderException e) {
            throw new ContainerUpdateException("the node's engine refused the new limits (" + e.getMessage() + ")", e);
        }
    }
}
