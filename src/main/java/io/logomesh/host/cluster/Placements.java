package io.logomesh.host.cluster;

import io.logomesh.host.config.TokenBucket;
import io.logomesh.host.container.docker.swarm.PluginSlot;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Which nodes the manager has each plugin's task on, as the relay's route asks for every relayed connection
 * ({@code SwarmCluster.route}): without it every connection costs two calls to the manager's API, as many as a
 * node's agent cares to open.
 *
 * <p>Contract: an answer of the manager is kept {@link #FRESH_FOR} and only lets through the nodes it names; a
 * node it does not name asks the manager again (so a task that moved to another node is found at that node's first
 * connection, and the answer then refuses the node it left). Asking the manager is bounded per node: at most
 * {@link #LOOKUPS_PER_SECOND} a second after a burst of {@link #LOOKUPS_BURST}; past it that node's connection is
 * refused without a call. An answer is dropped when the plugin's service is replaced ({@link #forget}) and when a
 * node it names loses its link ({@link #forgetNode}). So a node the task just left can relay for the plugin for at
 * most {@link #FRESH_FOR} after the manager moved it, and only until the new node connects or the host restarts the
 * plugin.
 */
final class Placements {

    /** How long the manager's answer for a plugin is used. */
    static final Duration FRESH_FOR = Duration.ofSeconds(1);
    /** Calls to the manager a node's connections may cause, per second after the burst. */
    static final int LOOKUPS_PER_SECOND = 10;
    static final int LOOKUPS_BURST = 20;

    private static final Logger LOG = Logger.getLogger(Placements.class);
    private static final long LOG_EVERY = 100;

    private record Answer(Set<String> nodes, long atNanos) {
    }

    private final Function<PluginSlot, Set<String>> manager;
    private final LongSupplier clock;
    private final Map<PluginSlot, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> lookups = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    /** @param manager the nodes on which the manager has a task of the slot's service meant to run */
    Placements(Function<PluginSlot, Set<String>> manager) {
        this(manager, System::nanoTime);
    }

    Placements(Function<PluginSlot, Set<String>> manager, LongSupplier clock) {
        this.manager = manager;
        this.clock = clock;
    }

    /**
     * Whether the task of the plugin's slot is placed on {@code nodeId} (a node whose agent is linked: the route checked it,
     * so the rates kept here are those of the swarm's nodes only).
     */
    boolean placedOn(PluginSlot slot, String nodeId) {
        long now = clock.getAsLong();
        Answer known = answers.get(slot);
        if (known != null && now - known.atNanos() < FRESH_FOR.toNanos() && known.nodes().contains(nodeId)) {
            return true;
        }
        TokenBucket rate = lookups.computeIfAbsent(nodeId,
                n -> new TokenBucket(LOOKUPS_PER_SECOND, LOOKUPS_BURST, now));
        if (!rate.tryTake(now)) {
            long count = refused.incrementAndGet();
            if (count == 1 || count % LOG_EVERY == 0) {
                LOG.warnf("cluster mode: node %s opens relayed connections faster than %d placements a second; "
                        + "refused (plugin %s; %d refused so far)", nodeId, LOOKUPS_PER_SECOND, slot, count);
            }
            return false;
        }
        Set<String> nodes = Set.copyOf(manager.apply(slot));
        if (nodes.isEmpty()) {
            answers.remove(slot);
        } else {
            answers.put(slot, new Answer(nodes, now));
        }
        return nodes.contains(nodeId);
    }

    /** The slot's service is created anew or removed: its answer is no longer the manager's. */
    void forget(PluginSlot slot) {
        answers.remove(slot);
    }

    /** The node's link is lost: no answer naming it is used again. */
    void forgetNode(String nodeId) {
        answers.values().removeIf(a -> a.nodes().contains(nodeId));
    }

    /** Connections refused for their node's rate since start. */
    long refused() {
        return refused.get();
    }
}
