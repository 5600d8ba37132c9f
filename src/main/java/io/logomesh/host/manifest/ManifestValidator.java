package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a manifest against {@code schema/plugin-manifest.schema.json} (draft-07) and against the
 * rules a schema cannot express: permissions the {@code securityLevel} forbids
 * ({@link PermissionLevels}), {@code actions} payload schemas that are unsafe or do not compile
 * ({@link LocalSchemas}: no reference outside the schema is ever loaded), dependency ranges parse, no plugin depends on itself, no
 * dependency is listed twice, the version parses as SemVer.
 *
 * <p>Reports <em>every</em> problem, never only the first, as {@link ManifestViolation}s sorted
 * by path (see there for the path convention). Thread-safe; the schema is loaded once per
 * instance, so share one.
 */
public class ManifestValidator {

    /** Classpath location of the schema; the file is served to users as-is. */
    public static final String SCHEMA_RESOURCE = "/schema/plugin-manifest.schema.json";

    private final String schemaText;
    private final JsonNode schemaNode;
    private final JsonSchema schema;
    private final ViolationMessages messages;

    /** Loads and compiles the schema from the classpath. */
    public ManifestValidator() {
        this.schemaText = readSchema();
        try {
            this.schemaNode = new ObjectMapper().readTree(schemaText);
        } catch (IOException e) {
            throw new IllegalStateException("the bundled manifest schema is not valid JSON", e);
        }
        this.schema = LocalSchemas.factory().getSchema(schemaNode, LocalSchemas.config());
        this.messages = new ViolationMessages(schemaNode);
    }

    /** The schema exactly as shipped (draft-07 JSON). */
    public String schemaText() {
        return schemaText;
    }

    /**
     * Validates a manifest.
     *
     * @return every violation, sorted by path; empty when the manifest is valid
     */
    public List<ManifestViolation> validate(JsonNode manifest) {
        if (manifest == null || manifest.isMissingNode()) {
            return List.of(ManifestViolation.atRoot("manifest is empty; it must be a JSON object"));
        }
        try {
            return check(manifest);
        } catch (RuntimeException e) {
            // a bound of the schema library (regex budget, a refused load): reported, never thrown
            return List.of(ManifestViolation.atRoot("manifest could not be checked: " + DeclarationChecks.firstLine(e)));
        }
    }

    private List<ManifestViolation> check(JsonNode manifest) {
        List<ManifestViolation> violations = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ValidationMessage message : schema.validate(manifest)) {
            ManifestViolation violation = toViolation(message);
            if (seen.add(violation.path() + '\n' + violation.message())) {
                violations.add(violation);
            }
        }
        if (manifest.isObject()) {
            violations.addAll(semanticViolations(manifest, violations));
            violations.addAll(DeclarationChecks.check(manifest));
        }
        return violations.stream().sorted().toList();
    }

    private ManifestViolation toViolation(ValidationMessage message) {
        String path = pointer(message.getInstanceLocation());
        String type = message.getType();
        if (("required".equals(type) || "additionalProperties".equals(type)) && message.getProperty() != null) {
            path = child(path, message.getProperty());
        }
        return new ManifestViolation(path, messages.describe(message));
    }

    private static List<ManifestViolation> semanticViolations(JsonNode manifest, List<ManifestViolation> found) {
        List<ManifestViolation> violations = new ArrayList<>();
        JsonNode version = manifest.path("version");
        if (version.isTextual() && found.stream().noneMatch(v -> v.path().equals("/version"))) {
            try {
                SemVer.parse(version.asText());
            } catch (SemVerFormatException e) {
                violations.add(new ManifestViolation("/version", "must be a semantic version such as 1.2.3 (" + e.getMessage() + ")"));
            }
        }
        violations.addAll(burstViolations(manifest.path("resourceRequirements")));
        JsonNode dependencies = manifest.path("dependencies");
        if (!dependencies.isArray()) {
            return violations;
        }
        String ownId = manifest.path("id").asText(null);
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < dependencies.size(); i++) {
            JsonNode dependency = dependencies.get(i);
            String base = "/dependencies/" + i;
            JsonNode range = dependency.path("version");
            if (range.isTextual() && !range.asText().isBlank()) {
                try {
                    SemVerRange.parse(range.asText());
                } catch (SemVerFormatException e) {
                    violations.add(new ManifestViolation(base + "/version", e.getMessage()));
                }
            }
            JsonNode id = dependency.path("id");
            if (!id.isTextual()) {
                continue;
            }
            if (id.asText().equals(ownId)) {
                violations.add(new ManifestViolation(base + "/id", "must not be the plugin's own id; a plugin cannot depend on itself"));
            }
            Integer previous = firstIndex.putIfAbsent(id.asText(), i);
            if (previous != null) {
                violations.add(new ManifestViolation(base + "/id",
                        "lists '" + id.asText() + "' a second time; it is already at /dependencies/" + previous));
            }
        }
        return violations;
    }

    /** Turns networknt's instance location into a JSON Pointer; the root is {@code "/"}. */
    /** A burst ceiling below the base limit makes no sense: {@code burstX >= maxX}. */
    private static List<ManifestViolation> burstViolations(JsonNode r) {
        List<ManifestViolation> violations = new ArrayList<>();
        burst(r, "burstMemoryMB", "maxMemoryMB", violations);
        burst(r, "burstCpuPercent", "maxCpuPercent", violations);
        return violations;
    }

    private static void burst(JsonNode r, String burst, String max, List<ManifestViolation> violations) {
        JsonNode b = r.path(burst);
        JsonNode m = r.path(max);
        if (b.isNumber() && m.isNumber() && b.asDouble() < m.asDouble()) {
            violations.add(new ManifestViolation("/resourceRequirements/" + burst,
                    "must be at least " + max + " (" + m.asText() + "); it is the ceiling grants may raise the limit to"));
        }
    }

    private static String pointer(JsonNodePath location) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            sb.append('/').append(escape(String.valueOf(location.getElement(i))));
        }
        return sb.isEmpty() ? ManifestViolation.ROOT : sb.toString();
    }

    private static String child(String path, String property) {
        return (ManifestViolation.ROOT.equals(path) ? "" : path) + "/" + escape(property);
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private static String readSchema() {
        try (InputStream in = ManifestValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("manifest schema " + SCHEMA_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
