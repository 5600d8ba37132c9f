package io.logomesh.host.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form and hashes of the audit trail. Canonical JSON: every object's keys sorted
 * (by UTF-16 code units), no white space, UTF-8; the {@code hash} field of the record itself is
 * left out. A record's hash is the lower-case hex SHA-256 of that.
 */
public final class AuditHashing {

    /** {@code prevHash} of the very first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditHashing() {
    }

    /** The hash a record (given as JSON, with or without its {@code hash}) must carry. */
    public static String hashOf(JsonNode record) {
        ObjectNode copy = ((ObjectNode) record).deepCopy();
        copy.remove("hash");
        return sha256Hex(canonical(copy));
    }

    /** Canonical UTF-8 bytes of any JSON value. */
    public static byte[] canonical(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an audit record", e);
        }
    }

    /** Compact JSON bytes of a value as written (null for a missing value means JSON {@code null}). */
    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node == null ? JsonNodeFactory.instance.nullNode() : node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON value", e);
        }
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }
}
