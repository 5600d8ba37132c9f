package io.logomesh.host.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One line of the audit trail, as stored and as served by {@code GET /api/v1/audit}.
 * {@code hash} is the SHA-256 (hex) of the canonical JSON of every other field
 * ({@link AuditHashing#canonical}); {@code prevHash} is the previous record's hash, so the
 * records form a chain.
 *
 * @param seq       position in the trail, from 1, without gaps
 * @param timestamp when it happened (ISO-8601 instant)
 * @param type      what happened ({@code lifecycle}, {@code action}, {@code operator}, {@code plugin}, …)
 * @param pluginId  the plugin concerned, or null
 * @param actor     {@code operator}, {@code host} or {@code plugin:<id>}
 * @param outcome   a short word ({@code ok}, {@code failed}, …)
 * @param details   the rest
 * @param prevHash  the previous record's hash ({@link AuditHashing#GENESIS} for the first)
 * @param hash      this record's hash
 */
@JsonPropertyOrder({"seq", "timestamp", "type", "pluginId", "actor", "outcome", "details", "prevHash", "hash"})
public record AuditRecord(long seq, String timestamp, String type, String pluginId, String actor, String outcome,
                          ObjectNode details, String prevHash, String hash) {

    /** A new record following {@code prevHash}, hashed. */
    static AuditRecord next(long seq, String prevHash, AuditEvent event) {
        AuditRecord unhashed = new AuditRecord(seq, event.at().toString(), event.type(), event.pluginId(),
                event.actor(), event.outcome(), event.details(), prevHash, null);
        return unhashed.withHash(AuditHashing.sha256Hex(AuditRecordJson.canonicalUnhashed(unhashed)));
    }

    /** The record as a JSON object, fields in contract order ({@code hash} left out while null). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("seq", seq);
        o.put("timestamp", timestamp);
        o.put("type", type);
        o.put("pluginId", pluginId);
        o.put("actor", actor);
        o.put("outcome", outcome);
        o.set("details", details == null ? JsonNodeFactory.instance.objectNode() : details);
        o.put("prevHash", prevHash);
        if (hash != null) {
            o.put("hash", hash);
        }
        return o;
    }

    /** Reads a stored line's JSON. @throws IllegalArgumentException if a field has the wrong shape */
    static AuditRecord fromJson(JsonNode o) {
        if (!o.isObject() || !o.path("seq").canConvertToLong() || !o.path("hash").isTextual()
                || !o.path("prevHash").isTextual() || !o.path("timestamp").isTextual()) {
            throw new IllegalArgumentException("not an audit record (seq, timestamp, prevHash or hash missing)");
        }
        JsonNode details = o.path("details");
        return new AuditRecord(o.get("seq").asLong(), o.get("timestamp").asText(), text(o, "type"),
                text(o, "pluginId"), text(o, "actor"), text(o, "outcome"),
                details.isObject() ? (ObjectNode) details : JsonNodeFactory.instance.objectNode(),
                o.get("prevHash").asText(), o.get("hash").asText());
    }

    /** When it happened; null if the stored timestamp does not parse. */
    Instant instant() {
        try {
            return Instant.parse(timestamp);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private AuditRecord withHash(String h) {
        return new AuditRecord(seq, timestamp, type, pluginId, actor, outcome, details, prevHash, h);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
