package io.logomesh.host.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A {@link ContainerStats} reading as JSON and back, for readings taken on another machine (a swarm node's agent
 * reads its cgroup files and sends them to the control plane). The monotonic clock is the reader's own: it is not
 * sent, and a parsed reading takes the receiver's {@link System#nanoTime()} (rates then span the sampling
 * interval as the receiver saw it, off by the link's jitter).
 */
public final class ContainerStatsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerStatsJson() {
    }

    public static ObjectNode toJson(ContainerStats s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("source", s.source());
        o.put("at", s.at().toString());
        o.put("memoryUsageBytes", s.memoryUsageBytes());
        o.put("inactiveFileBytes", s.inactiveFileBytes());
        o.put("memoryLimitBytes", s.memoryLimitBytes());
        o.put("memoryFailcnt", s.memoryFailcnt());
        o.put("cpuUsageNanos", s.cpuUsageNanos());
        o.put("cpuThrottledPeriods", s.cpuThrottledPeriods());
        o.put("pids", s.pids());
        o.put("pidsLimit", s.pidsLimit());
        o.put("netRxBytes", s.netRxBytes());
        o.put("netTxBytes", s.netTxBytes());
        o.put("diskReadBytes", s.diskReadBytes());
        o.put("diskWriteBytes", s.diskWriteBytes());
        return o;
    }

    /**
     * @param via what to put before the reader's source, e.g. the node ({@code node <id>: cgroup-v1})
     * @throws IllegalArgumentException when a field is missing or not a non-negative number
     */
    public static ContainerStats fromJson(JsonNode o, String via) {
        Instant at;
        try {
            at = Instant.parse(o.path("at").asText(""));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a reading without its time");
        }
        String source = o.path("source").asText("");
        if (source.isEmpty() || source.length() > 32) {
            throw new IllegalArgumentException("a reading without its source");
        }
        return new ContainerStats(via + source, at, System.nanoTime(),
                count(o, "memoryUsageBytes"), count(o, "inactiveFileBytes"), count(o, "memoryLimitBytes"),
                count(o, "memoryFailcnt"), count(o, "cpuUsageNanos"), count(o, "cpuThrottledPeriods"),
                count(o, "pids"), count(o, "pidsLimit"), count(o, "netRxBytes"), count(o, "netTxBytes"),
                count(o, "diskReadBytes"), count(o, "diskWriteBytes"));
    }

    private static long count(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToExactIntegral() || v.asLong() < 0) {
            throw new IllegalArgumentException("a reading whose " + field + " is not a count");
        }
        return v.asLong();
    }
}
