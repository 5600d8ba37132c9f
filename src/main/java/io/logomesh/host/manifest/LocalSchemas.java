package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.InvalidSchemaException;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.ClasspathSchemaLoader;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one way the host compiles a JSON Schema that came from a manifest (and its own manifest
 * schema): draft-07, with <em>no</em> network or file loaders, and bounded in size.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The factory's only schema loader serves the draft meta-schemas the validator library ships
 *       on its class path; every other IRI ({@code http}, {@code https}, {@code ftp}, {@code file},
 *       {@code jar}, {@code classpath} of anything else, relative names) is refused without any I/O,
 *       so the library's default URL loaders are never reached.</li>
 *   <li>{@link #check} refuses, before anything is compiled, a schema whose {@code $ref},
 *       {@code $dynamicRef} or {@code $recursiveRef} does not start with {@code #}, whose
 *       {@code $schema} is not draft-07, that nests deeper than {@link #MAX_DEPTH}, has more than
 *       {@link #MAX_NODES} JSON values, or a {@code pattern} / {@code patternProperties} key longer
 *       than {@link BoundedRegex#MAX_PATTERN_LENGTH}. Each violation names its JSON Pointer.</li>
 *   <li>Regular expressions are matched with a step budget ({@link BoundedRegex}), so one payload
 *       cannot hold a thread in catastrophic backtracking.</li>
 * </ul>
 */
public final class LocalSchemas {

    /** Deepest nesting of objects and arrays in one schema. */
    public static final int MAX_DEPTH = 32;
    /** Most JSON values (objects, arrays, strings, numbers…) in one schema. */
    public static final int MAX_NODES = 5_000;

    private static final Set<String> DRAFT_07 = Set.of(
            "http://json-schema.org/draft-07/schema", "http://json-schema.org/draft-07/schema#",
            "https://json-schema.org/draft-07/schema", "https://json-schema.org/draft-07/schema#");
    private static final Set<String> REF_KEYWORDS = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    /** Keywords whose values are data, not schemas: a {@code "$ref"} inside them is just a string. */
    private static final Set<String> DATA_KEYWORDS = Set.of("enum", "const", "default", "examples");

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            builder -> builder.schemaLoaders(loaders -> loaders.values(list -> {
                list.clear();
                list.add(new MetaSchemasOnly());
            })));

    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .regularExpressionFactory(BoundedRegex.FACTORY)
            .build();

    private LocalSchemas() {
    }

    /** The draft-07 factory without network or file loaders. */
    public static JsonSchemaFactory factory() {
        return FACTORY;
    }

    /** JSON Pointer paths, format assertions on, bounded regular expressions. */
    public static SchemaValidatorsConfig config() {
        return CONFIG;
    }

    /** Compiles a schema already accepted by {@link #check} (every validator initialised now). */
    public static JsonSchema compile(JsonNode schema) {
        JsonSchema compiled = FACTORY.getSchema(schema, CONFIG);
        compiled.initializeValidators();
        return compiled;
    }

    /** The draft-07 meta-schema, from the class path. */
    static JsonSchema metaSchema() {
        return FACTORY.getSchema(SchemaLocation.of("http://json-schema.org/draft-07/schema#"), CONFIG);
    }

    /**
     * What makes {@code schema} unsafe to compile, each at its JSON Pointer under {@code base}
     * (e.g. {@code /actions/echo/payload}); empty when it may be compiled.
     */
    public static List<ManifestViolation> check(JsonNode schema, String base) {
        List<ManifestViolation> violations = new ArrayList<>();
        int[] nodes = {0};
        walk(schema, base, 0, nodes, violations);
        if (nodes[0] > MAX_NODES) {
            violations.add(new ManifestViolation(base, "has more than " + MAX_NODES
                    + " JSON values; a payload schema must stay smaller"));
        }
        return violations;
    }

    private static void walk(JsonNode node, String path, int depth, int[] nodes, List<ManifestViolation> out) {
        if (++nodes[0] > MAX_NODES || out.size() > 20) {
            return;
        }
        if (depth > MAX_DEPTH) {
            out.add(new ManifestViolation(path, "nests deeper than " + MAX_DEPTH + " levels"));
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, depth + 1, nodes, out);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            String child = path + "/" + escape(key);
            if (REF_KEYWORDS.contains(key) && value.isTextual() && !value.asText().startsWith("#")) {
                out.add(new ManifestViolation(child, "must be a reference inside this schema (starting with '#');"
                        + " the host resolves no remote or file references"));
            } else if ("$schema".equals(key) && value.isTextual() && !DRAFT_07.contains(value.asText())) {
                out.add(new ManifestViolation(child, "must be the draft-07 meta-schema"
                        + " (http://json-schema.org/draft-07/schema#); the host loads no other"));
            } else if ("pattern".equals(key) && value.isTextual()
                    && value.asText().length() > BoundedRegex.MAX_PATTERN_LENGTH) {
                out.add(new ManifestViolation(child, "is longer than " + BoundedRegex.MAX_PATTERN_LENGTH
                        + " characters"));
            } else if ("patternProperties".equals(key) && value.isObject()) {
                value.fieldNames().forEachRemaining(p -> {
                    if (p.length() > BoundedRegex.MAX_PATTERN_LENGTH) {
                        out.add(new ManifestViolation(child, "has a pattern longer than "
                                + BoundedRegex.MAX_PATTERN_LENGTH + " characters"));
                    }
                });
            }
            if (DATA_KEYWORDS.contains(key)) {
                nodes[0] += value.size();
                continue;
            }
            walk(value, child, depth + 1, nodes, out);
        }
    }

    static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    /**
     * Loads only the meta-schemas the library ships ({@code classpath:draft-0x/…},
     * {@code classpath:draft/20xx-xx/…}, which its meta-schema mapper maps the official IRIs to);
     * refuses every other IRI with an {@link InvalidSchemaException}, so no later loader runs.
     */
    private static final class MetaSchemasOnly implements SchemaLoader {

        private final ClasspathSchemaLoader classpath = new ClasspathSchemaLoader(
                () -> LocalSchemas.class.getClassLoader());

        @Override
        public InputStreamSource getSchema(AbsoluteIri iri) {
            String text = iri.toString();
            if (text.matches("classpath:/?draft(-0[467]/schema|/20(19-09|20-12)/[a-z/-]+)")) {
                InputStreamSource source = classpath.getSchema(iri);
                if (source != null) {
                    return source;
                }
            }
            throw new InvalidSchemaException(ValidationMessage.builder()
                    .message("schema '{0}' is not loaded: the host resolves no references outside the schema")
                    .arguments(printable(text)).build());
        }

        private static String printable(String text) {
            String cut = text.length() > 200 ? text.substring(0, 200) + "…" : text;
            return cut.replaceAll("\\p{Cntrl}", "?");
        }
    }
}
