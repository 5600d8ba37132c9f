package io.logomesh.host.ipc.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.regex.Pattern;

/**
 * The control link's {@code update} order: new limits for the running container of a plugin's service, carried
 * out by the agent of the node that runs it ({@code docker update} there, memory+swap = memory):
 * {@code {"type": "update", "serviceId", "memoryBytes", "nanoCpus", "pidsLimit"}}, each number a positive
 * integer. The agent with the container answers {@code updated}, or {@code failed} with the engine's
 * reason; the others {@code absent}.
 *
 * @param serviceId   its swarm service (the control plane's container id for it)
 * @param memoryBytes memory limit, also memory+swap (no swap)
 * @param nanoCpus    CPU limit in billionths of a CPU ({@code NanoCpus})
 * @param pidsLimit   task cap ({@code PidsLimit})
 */
public record LimitsOrder(String serviceId, long memoryBytes, long nanoCpus, long pidsLimit) {

    /** The order's {@code type}. */
    public static final String TYPE = "update";
    /** A swarm service id: lower-case letters and digits (25 from the engine). */
    private static final Pattern SERVICE_ID = Pattern.compile("[a-z0-9]{1,64}");
    /** The engine's smallest memory limit (6 MiB). */
    static final long MIN_MEMORY = 6L << 20;

    public LimitsOrder {
        if (!SERVICE_ID.matcher(serviceId).matches()) {
            throw new IllegalArgumentException("not a service id: " + serviceId);
        }
        if (memoryBytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memoryBytes must be at least " + MIN_MEMORY + ", got " + memoryBytes);
        }
        if (nanoCpus <= 0 || pidsLimit <= 0) {
            throw new IllegalArgumentException("nanoCpus and pidsLimit must be positive, got " + nanoCpus + " and "
                    + pidsLimit);
        }
    }

    /** The order as the control link carries it (without its {@code ref}). */
    public ObjectNode toJson(ObjectMapper mapper) {
        return mapper.createObjectNode().put("type", TYPE).put("serviceId", serviceId)
                .put("memoryBytes", memoryBytes).put("nanoCpus", nanoCpus).put("pidsLimit", pidsLimit);
    }

    /**
     * Reads an {@code update} order strictly: every field present, the ids well-formed, the numbers integers in
     * range (no strings, no fractions).
     *
     * @throws IllegalArgumentException saying which field is wrong
     */
    public static LimitsOrder fromJson(JsonNode order) {
        if (!TYPE.equals(order.path("type").asText())) {
            throw new IllegalArgumentException("not an update order: " + order.path("type").asText());
        }
        return new LimitsOrder(text(order, "serviceId"), number(order, "memoryBytes"), number(order, "nanoCpus"),
                number(order, "pidsLimit"));
    }

    private static String text(JsonNode order, String field) {
        JsonNode value = order.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asText();
    }

    private static long number(JsonNode order, String field) {
        JsonNode value = order.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return value.longValue();
    }
}
