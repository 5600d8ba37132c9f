package io.logomesh.host.cluster;

import io.logomesh.host.container.docker.swarm.PluginSlot;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's placement answers ({@link Placements}): one call to the manager serves a plugin's connections for a
 * second, a task that moved is found at the new node's first connection and then refuses the old node, and a node
 * cannot make the control plane ask the manager more than its rate. The clock is the test's.
 */
class PlacementsTest {

    private static final String A = "nodeA";
    private static final String B = "nodeB";

    private final Map<PluginSlot, Set<String>> placed = new ConcurrentHashMap<>();
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Placements placements = new Placements(plugin -> {
        asked.incrementAndGet();
        return placed.getOrDefault(plugin, Set.of());
    }, now::get);

    @Test
    void shouldAskTheManagerOnceForAPluginsConnectionsWithinASecond() {
        placed.put(slot("p1"), Set.of(A));

        for (int i = 0; i < 50; i++) {
            assertThat(placements.placedOn(slot("p1"), A)).isTrue();
            now.addAndGet(10_000_000L); // 10 ms
        }

        assertThat(asked.get()).as("50 connections in 0.5 s").isEqualTo(1);
        now.addAndGet(Placements.FRESH_FOR.toNanos());
        assertThat(placements.placedOn(slot("p1"), A)).isTrue();
        assertThat(asked.get()).as("an old answer is asked again").isEqualTo(2);
    }

    @Test
    void shouldFindAMovedTaskAtTheNewNodesFirstConnectionAndThenRefuseTheOldNode() {
        placed.put(slot("p1"), Set.of(A));
        assertThat(placements.placedOn(slot("p1"), A)).isTrue();

        placed.put(slot("p1"), Set.of(B)); // the swarm moved the task
        assertThat(placements.placedOn(slot("p1"), B)).as("rerouted at once").isTrue();

        assertThat(placements.placedOn(slot("p1"), A)).as("the node it left, within the same second").isFalse();
        assertThat(placements.placedOn(slot("p1"), "nodeC")).isFalse();
    }

    @Test
    void shouldAskAgainOnceThePluginsServiceIsReplacedOrItsNodeLost() {
        placed.put(slot("p1"), Set.of(A));
        placed.put(slot("p2"), Set.of(B));
        placements.placedOn(slot("p1"), A);
        placements.placedOn(slot("p2"), B);
        placed.clear();

        placements.forget(slot("p1"));
        assertThat(placements.placedOn(slot("p1"), A)).as("a new service: the old answer is gone").isFalse();
        placements.forgetNode(B);
        assertThat(placements.placedOn(slot("p2"), B)).as("its node's link was lost").isFalse();
        assertThat(asked.get()).isEqualTo(4);
    }

    @Test
    void shouldRefuseANodePastItsRateWithoutAskingTheManagerAndLeaveOtherNodesAlone() {
        placed.put(slot("p1"), Set.of(B));
        int tries = Placements.LOOKUPS_BURST * 3;

        int allowed = 0;
        for (int i = 0; i < tries; i++) {
            allowed += placements.placedOn(slot("stranger-" + i), A) ? 1 : 0; // headers for plugins not on node A
        }

        assertThat(allowed).isZero();
        assertThat(asked.get()).as("the burst, then nothing until it refills").isEqualTo(Placements.LOOKUPS_BURST);
        assertThat(placements.refused()).isEqualTo(tries - Placements.LOOKUPS_BURST);
        assertThat(placements.placedOn(slot("p1"), B)).as("another node keeps its own rate").isTrue();

        now.addAndGet(1_000_000_000L);
        for (int i = 0; i < tries; i++) {
            placements.placedOn(slot("again-" + i), A);
        }
        assertThat(asked.get()).as("a second later: the rate's worth more")
                .isEqualTo(Placements.LOOKUPS_BURST + 1 + Placements.LOOKUPS_PER_SECOND);
    }

    @Test
    void shouldKeepThePlacementsOfAPluginsTwoSlotsApart() {
        PluginSlot next = new PluginSlot("p1", true);
        placed.put(slot("p1"), Set.of(A));
        placed.put(next, Set.of(B));

        assertThat(placements.placedOn(slot("p1"), A)).isTrue();
        assertThat(placements.placedOn(next, A)).as("the next version's task is on B").isFalse();
        assertThat(placements.placedOn(next, B)).isTrue();
        assertThat(placements.placedOn(slot("p1"), B)).isFalse();
    }

    private static PluginSlot slot(String pluginId) {
        return PluginSlot.first(pluginId);
    }
}
