package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The size bounds of one record, applied to every event before it is queued, whoever produced it:
 * <ul>
 *   <li>the record's own strings ({@code type}, {@code pluginId}, {@code actor}, {@code outcome}) and
 *       id-like detail fields ({@link #ID_FIELDS}: targets, paths, topics, …) are cut to
 *       {@code fieldMaxChars};</li>
 *   <li>every other string in the details (reasons, a plugin's error text, its own events) to
 *       {@code textMaxChars}; field names to {@code fieldMaxChars};</li>
 *   <li>arrays and objects keep their first {@link #MAX_ITEMS} entries, nesting stops at
 *       {@link #MAX_DEPTH};</li>
 *   <li>a record whose details are still larger than {@code recordMaxBytes} serialized keeps only
 *       {@code {"cut": "…", "detailsBytes": N}}.</li>
 * </ul>
 * Every cut is visible ({@link AuditText#cut}), so a reader knows the record is not whole.
 */
public final class AuditBounds {

    /** Detail fields that hold ids, targets or paths and are cut like ids. */
    public static final Set<String> ID_FIELDS = Set.of("from", "to", "target", "path", "method", "topic",
            "actionId", "actionType", "messageType", "requestId", "permission", "grantId", "alertId", "code",
            "remote", "source", "kind", "caller");
    static final int MAX_ITEMS = 100;
    static final int MAX_DEPTH = 8;
    /** Room for the fixed fields of a record (seq, timestamp, hashes, names) on top of its details. */
    static final int ENVELOPE_BYTES = 1024;

    private final int fieldMaxChars;
    private final int textMaxChars;
    private final int recordMaxBytes;

    public AuditBounds(int fieldMaxChars, int textMaxChars, int recordMaxBytes) {
        this.fieldMaxChars = Math.max(16, fieldMaxChars);
        this.textMaxChars = Math.max(this.fieldMaxChars, textMaxChars);
        this.recordMaxBytes = Math.max(4 * this.fieldMaxChars + ENVELOPE_BYTES, recordMaxBytes);
    }

    /** A bounded event and the size of its details, serialized. */
    public record Bounded(AuditEvent event, int detailsBytes) {
        /** A generous estimate of the record's size on disk. */
        public int estimatedBytes() {
            return detailsBytes + ENVELOPE_BYTES;
        }
    }

    /** The event with every bound applied. */
    public Bounded bound(AuditEvent e) {
        ObjectNode details = (ObjectNode) copy(e.details(), 0, textMaxChars);
        int size = AuditHashing.bytes(details).length;
        int budget = recordMaxBytes - ENVELOPE_BYTES;
        if (size > budget) {
            details = (ObjectNode) copy(e.details(), 0, Math.min(textMaxChars, fieldMaxChars));
            size = AuditHashing.bytes(details).length;
        }
        if (size > budget) {
            int original = AuditHashing.bytes(e.details()).length;
            details = JsonNodeFactory.instance.objectNode()
                    .put("cut", "the details were larger than the record ceiling of " + recordMaxBytes + " bytes")
                    .put("detailsBytes", original);
            size = AuditHashing.bytes(details).length;
        }
        AuditEvent bounded = new AuditEvent(AuditText.cut(e.type(), fieldMaxChars), AuditText.cut(e.pluginId(), fieldMaxChars),
                AuditText.cut(e.actor(), fieldMaxChars), AuditText.cut(e.outcome(), fieldMaxChars), details, e.at());
        return new Bounded(bounded, size);
    }

    private JsonNode copy(JsonNode node, int depth, int textMax) {
        if (node.isTextual()) {
            return JsonNodeFactory.instance.textNode(AuditText.cut(node.asText(), textMax));
        }
        if (!node.isContainerNode()) {
            return node;
        }
        if (depth >= MAX_DEPTH) {
            return JsonNodeFactory.instance.textNode("…[cut: nested deeper than " + MAX_DEPTH + "]");
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            int n = 0;
            for (JsonNode item : node) {
                if (n++ == MAX_ITEMS) {
                    out.add("…[cut " + (node.size() - MAX_ITEMS) + " items]");
                    break;
                }
                out.add(copy(item, depth + 1, textMax));
            }
            return out;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (n++ == MAX_ITEMS) {
                out.put("…", "[cut " + (node.size() - MAX_ITEMS) + " fields]");
                break;
            }
            String name = field.getKey();
            int max = depth == 0 && ID_FIELDS.contains(name) ? fieldMaxChars : textMax;
            out.set(AuditText.cut(name, fieldMaxChars), copy(field.getValue(), depth + 1, max));
        }
        return out;
    }
}
