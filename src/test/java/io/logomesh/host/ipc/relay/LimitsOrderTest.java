package io.logomesh.host.ipc.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitsOrderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "q8v2k4m1n7b3x5z9c0d6f2g4h";
    private static final LimitsOrder ORDER = new LimitsOrder(SERVICE, 96L << 20, 700_000_000L, 64);

    private static ObjectNode encoded(Consumer<ObjectNode> change) {
        ObjectNode order = ORDER.toJson(JSON);
        change.accept(order);
        return order;
    }

    @Test
    void shouldCarryEveryLimitAsAnIntegerOfAnUpdateOrder() throws Exception {
        ObjectNode order = ORDER.toJson(JSON);

        assertThat(JSON.writeValueAsString(order)).isEqualTo("{\"type\":\"update\",\"serviceId\":\"" + SERVICE
                + "\",\"memoryBytes\":100663296,\"nanoCpus\":700000000,\"pidsLimit\":64}");
        assertThat(LimitsOrder.fromJson(JSON.readTree(JSON.writeValueAsString(order)))).isEqualTo(ORDER);
    }

    @Test
    void shouldIgnoreTheLinksRefAndPluginFields() {
        assertThat(LimitsOrder.fromJson(encoded(o -> o.put("ref", 7).put("pluginId", "")))).isEqualTo(ORDER);
    }

    @Test
    void shouldRefuseAnOrderWithAFieldMissingOrOfTheWrongKind() {
        assertThatThrownBy(() -> LimitsOrder.fromJson(encoded(o -> o.remove("memoryBytes"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memoryBytes");
        assertThatThrownBy(() -> LimitsOrder.fromJson(encoded(o -> o.put("nanoCpus", "700000000"))))
                .hasMessageContaining("nanoCpus must be an integer");
        assertThatThrownBy(() -> LimitsOrder.fromJson(encoded(o -> o.put("pidsLimit", 64.5))))
                .hasMessageContaining("pidsLimit must be an integer");
        assertThatThrownBy(() -> LimitsOrder.fromJson(encoded(o -> o.put("memoryBytes", 1e30))))
                .hasMessageContaining("memoryBytes must be an integer");
        assertThatThrownBy(() -> LimitsOrder.fromJson(encoded(o -> o.put("serviceId", 5))))
                .hasMessageContaining("serviceId must be a string");
        assertThatThrownBy(() -> LimitsOrder.fromJson(encoded(o -> o.put("type", "stats"))))
                .hasMessageContaining("not an update order");
    }

    @Test
    void shouldRefuseAServiceIdThatIsNoIdAndLimitsOutOfRange() {
        assertThatThrownBy(() -> LimitsOrder.fromJson(encoded(o -> o.put("serviceId", "../../etc"))))
                .hasMessageContaining("not a service id");
        assertThatThrownBy(() -> LimitsOrder.fromJson(encoded(o -> o.put("serviceId", ""))))
                .hasMessageContaining("not a service id");
        assertThatThrownBy(() -> new LimitsOrder(SERVICE, (6L << 20) - 1, 1, 1))
                .hasMessageContaining("at least");
        assertThatThrownBy(() -> new LimitsOrder(SERVICE, 64L << 20, 0, 64)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new LimitsOrder(SERVICE, 64L << 20, 1, -1)).hasMessageContaining("positive");
        assertThat(new LimitsOrder(SERVICE, 6L << 20, 1, 1).memoryBytes()).isEqualTo(6L << 20);
    }
}
