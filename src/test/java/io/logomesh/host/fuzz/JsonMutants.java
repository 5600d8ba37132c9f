package io.logomesh.host.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random JSON, mutations of a valid manifest, and hostile payload schemas. */
final class JsonMutants {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> KEYWORDS = List.of("$ref", "$schema", "$id", "$dynamicRef", "pattern",
            "patternProperties", "properties", "items", "allOf", "anyOf", "oneOf", "not", "definitions", "type",
            "enum", "const", "format", "uniqueItems", "required", "minLength", "maxItems", "if", "then", "else",
            "contains", "dependencies", "propertyNames", "additionalProperties");
    private static final List<String> HOSTILE_TEXT = List.of("", "\u0000", "../../etc/passwd", "a".repeat(5000),
            "http://127.0.0.1:1/x", "file:/etc/passwd", "jar:file:/x!/y", "#/definitions/none", "#", "%00", "\uD800",
            "^(a+)+\\1$", "(", "[", "\u001b[2J", "${jndi:ldap://127.0.0.1:1/a}", "<script>", "9".repeat(400),
            "-1", "1e309", "NaN", "hello-node", "a/b", "CON");

    private JsonMutants() {
    }

    static String text(Random r) {
        if (r.nextInt(3) == 0) {
            return HOSTILE_TEXT.get(r.nextInt(HOSTILE_TEXT.size()));
        }
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(20);
        for (int i = 0; i < n; i++) {
            sb.append((char) (r.nextInt(5) == 0 ? r.nextInt(0x3000) : 0x20 + r.nextInt(95)));
        }
        return sb.toString();
    }

    static JsonNode value(Random r, int depth) {
        int kind = depth > 4 ? r.nextInt(5) : r.nextInt(7);
        return switch (kind) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(r.nextBoolean());
            case 2 -> r.nextBoolean() ? F.numberNode(r.nextLong()) : F.numberNode(r.nextDouble() * 1e6 - 5e5);
            case 3, 4 -> F.textNode(text(r));
            case 5 -> {
                ArrayNode a = F.arrayNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(value(r, depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    o.set(r.nextInt(3) == 0 ? KEYWORDS.get(r.nextInt(KEYWORDS.size())) : text(r), value(r, depth + 1));
                }
                yield o;
            }
        };
    }

    /** A schema-shaped object with hostile keywords and values. */
    static ObjectNode hostileSchema(Random r, int depth) {
        ObjectNode o = F.objectNode();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String key = KEYWORDS.get(r.nextInt(KEYWORDS.size()));
            JsonNode v = switch (r.nextInt(4)) {
                case 0 -> F.textNode(HOSTILE_TEXT.get(r.nextInt(HOSTILE_TEXT.size())));
                case 1 -> depth < 6 ? hostileSchema(r, depth + 1) : F.objectNode();
                case 2 -> depth < 6 ? F.objectNode().set(text(r), hostileSchema(r, depth + 1)) : F.booleanNode(true);
                default -> value(r, depth + 2);
            };
            o.set(key, v);
        }
        if (r.nextInt(10) == 0) {
            JsonNode deep = F.objectNode();
            for (int i = 0; i < 40 + r.nextInt(400); i++) {
                deep = F.objectNode().set("not", deep);
            }
            o.set("allOf", F.arrayNode().add(deep));
        }
        return o;
    }

    /** A copy of {@code base} with a few nodes replaced, removed or added; sometimes a hostile payload schema. */
    static ObjectNode mutate(Random r, ObjectNode base) {
        ObjectNode copy = base.deepCopy();
        int rounds = 1 + r.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            List<ObjectNode> objects = new ArrayList<>();
            collect(copy, objects);
            ObjectNode target = objects.get(r.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            switch (r.nextInt(4)) {
                case 0 -> {
                    if (!names.isEmpty()) {
                        target.remove(names.get(r.nextInt(names.size())));
                    }
                }
                case 1 -> {
                    if (!names.isEmpty()) {
                        target.set(names.get(r.nextInt(names.size())), value(r, 0));
                    }
                }
                case 2 -> target.set(text(r), value(r, 0));
                default -> {
                    if (!copy.path("actions").isObject()) {
                        copy.putObject("actions");
                    }
                    ((ObjectNode) copy.get("actions")).putObject(text(r)).set("payload", hostileSchema(r, 0));
                }
            }
        }
        return copy;
    }

    private static void collect(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode o) {
            out.add(o);
        }
        node.elements().forEachRemaining(child -> collect(child, out));
    }
}
