package io.logomesh.host.agent;

import io.logomesh.host.ipc.relay.LimitsOrder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link NodeLimits} tells the node's engine ({@code docker update}'s arguments), on a recording engine. */
class NodeLimitsTest {

    private static final String SERVICE = "q8v2k4m1n7b3x5z9c0d6f2g4h";

    private final List<String> updated = new ArrayList<>();
    private final List<NodeLimits.Update> updates = new ArrayList<>();
    private final Map<String, Long> memory = new java.util.HashMap<>(Map.of("c1", 64L << 20, "c0", 0L));
    private String refusal;

    private final NodeContainers containers = new NodeContainers() {
        @Override
        public Optional<String> containerOf(String serviceId) {
            return SERVICE.equals(serviceId) ? Optional.of("c1") : Optional.empty();
        }

        @Override
        public long pidOf(String containerId) {
            return 0;
        }

        @Override
        public void forget(String serviceId, String containerId) {
        }
    };

    private final NodeLimits.Engine engine = new NodeLimits.Engine() {
        @Override
        public long memoryOf(String containerId) {
            return memory.getOrDefault(containerId, 0L);
        }

        @Override
        public void update(String containerId, NodeLimits.Update update) {
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
            updated.add(containerId);
            updates.add(update);
        }
    };

    private final NodeLimits limits = new NodeLimits(containers, engine);

    @Test
    void shouldUpdateTheServicesContainerWithMemorySwapEqualToMemoryCpuAndPids() {
        assertThat(limits.apply(new LimitsOrder(SERVICE, 96L << 20, 700_000_000L, 64))).isTrue();

        assertThat(updated).containsExactly("c1");
        assertThat(updates).containsExactly(new NodeLimits.Update(96L << 20, 96L << 20, 700_000_000L, 64L));
    }

    @Test
    void shouldLeaveAServiceWhoseContainerRunsOnAnotherNodeAlone() {
        assertThat(limits.apply(new LimitsOrder("elsewhere0000000000000000", 96L << 20, 1, 64))).isFalse();
        assertThat(updates).isEmpty();
    }

    @Test
    void shouldSayWhatTheEngineRefused() {
        refusal = "Minimum memory limit can not be less than memory reservation limit";
        assertThatThrownBy(() -> limits.apply(new LimitsOrder(SERVICE, 6L << 20, 1, 64)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("c1").hasMessageContaining(refusal);
    }

    @Test
    void shouldSetOnlyMemorySwapToMemoryAsAContainerStarts() {
        limits.started("c1");
        limits.started("c0"); // no memory limit: nothing to pair
        refusal = "gone";
        limits.started("c1"); // logged, not thrown: the event is still reported

        assertThat(updated).containsExactly("c1");
        assertThat(updates).containsExactly(new NodeLimits.Update(64L << 20, 64L << 20, null, null));
    }
}
