package io.logomesh.host.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A record's two byte forms, written straight from its fields with one generator each: its canonical
 * JSON without {@code hash} (what {@link AuditHashing#hashOf} computes from its JSON tree: every key
 * sorted, no white space) and its stored line (contract order, then a newline). Byte for byte what the
 * tree-based forms give (AuditRecordJsonTest holds them side by side), without copying the record into
 * trees and sorted maps first: the writer thread does this for every action.
 */
final class AuditRecordJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditRecordJson() {
    }

    /** Canonical UTF-8 JSON of the record without its hash; top-level keys in sorted order. */
    static byte[] canonicalUnhashed(AuditRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("actor", r.actor());
            g.writeFieldName("details");
            writeSorted(g, details(r));
            g.writeStringField("outcome", r.outcome());
            g.writeStringField("pluginId", r.pluginId());
            g.writeStringField("prevHash", r.prevHash());
            g.writeNumberField("seq", r.seq());
            g.writeStringField("timestamp", r.timestamp());
            g.writeStringField("type", r.type());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize an audit record", e);
        }
        return out.toByteArray();
    }

    /** The stored line: the record's JSON in contract order ({@code hash} left out while null), then '\n'. */
    static byte[] line(AuditRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("seq", r.seq());
            g.writeStringField("timestamp", r.timestamp());
            g.writeStringField("type", r.type());
            g.writeStringField("pluginId", r.pluginId());
            g.writeStringField("actor", r.actor());
            g.writeStringField("outcome", r.outcome());
            g.writeFieldName("details");
            JSON.writeTree(g, details(r));
            g.writeStringField("prevHash", r.prevHash());
            if (r.hash() != null) {
                g.writeStringField("hash", r.hash());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize an audit record", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static JsonNode details(AuditRecord r) {
        return r.details() == null ? JsonNodeFactory.instance.objectNode() : r.details();
    }

    private static void writeSorted(JsonGenerator g, JsonNode node) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>(node.size());
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            g.writeStartObject();
            for (String name : names) {
                g.writeFieldName(name);
                writeSorted(g, node.get(name));
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode item : node) {
                writeSorted(g, item);
            }
            g.writeEndArray();
        } else {
            JSON.writeTree(g, node);
        }
    }
}
