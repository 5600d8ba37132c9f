package io.logomesh.host.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads a manifest: JSON → validation (every violation at once) → {@link PluginManifest} with
 * defaults applied. Thread-safe.
 *
 * <p>Duplicate keys and trailing content after the JSON object count as invalid JSON.
 */
public class ManifestParser {

    /** The largest manifest accepted, in bytes (256 KiB). */
    public static final int MAX_MANIFEST_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final ManifestValidator validator;

    /** A parser with its own {@link ManifestValidator}. */
    public ManifestParser() {
        this(new ManifestValidator());
    }

    /** A parser sharing a validator (the schema is compiled once per validator). */
    public ManifestParser(ManifestValidator validator) {
        this.validator = validator;
    }

    /** The validator this parser uses. */
    public ManifestValidator validator() {
        return validator;
    }

    /**
     * Parses manifest bytes (UTF-8 JSON).
     *
     * @throws ManifestInvalidException with one violation at {@code /} when the bytes are not
     *                                  JSON or too large, else with every schema and semantic violation
     */
    public PluginManifest parse(byte[] json) {
        return parse(readTree(json));
    }

    /**
     * Validates and converts an already-parsed manifest.
     *
     * @throws ManifestInvalidException with every violation found
     */
    public PluginManifest parse(JsonNode manifest) {
        return parse(manifest, node -> List.of());
    }

    /**
     * Validates with extra checks (e.g. the bundle's files) whose violations are reported
     * together with the schema's (except at paths the schema already flagged), then converts.
     */
    PluginManifest parse(JsonNode manifest, Function<JsonNode, List<ManifestViolation>> extraChecks) {
        List<ManifestViolation> violations = new ArrayList<>(validator.validate(manifest));
        if (manifest != null && manifest.isObject()) {
            // a value the schema already rejects is not checked again
            Set<String> reported = violations.stream().map(ManifestViolation::path).collect(Collectors.toSet());
            extraChecks.apply(manifest).stream().filter(v -> !reported.contains(v.path())).forEach(violations::add);
        }
        if (!violations.isEmpty()) {
            throw new ManifestInvalidException(violations);
        }
        return build(manifest);
    }

    /** Reads JSON, mapping any syntax error to a root violation that names line and column. */
    static JsonNode readTree(byte[] json) {
        if (json == null || json.length == 0) {
            throw ManifestInvalidException.atRoot("manifest is empty; it must be a JSON object");
        }
        if (json.length > MAX_MANIFEST_BYTES) {
            throw ManifestInvalidException.atRoot("manifest is larger than " + (MAX_MANIFEST_BYTES / 1024) + " KiB");
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw ManifestInvalidException.atRoot("manifest is empty; it must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ManifestInvalidException.atRoot("manifest is not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw ManifestInvalidException.atRoot("manifest could not be read as JSON");
        }
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage();
        // Jackson may append source excerpts and internal details on further lines or in brackets
        message = message.lines().findFirst().orElse("syntax error");
        int source = message.indexOf(" at [Source");
        if (source >= 0) {
            message = message.substring(0, source);
        }
        message = message.replaceAll("\\s*\\((start marker|for [A-Za-z]+ starting)[^)]*\\)?$", "").strip();
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return message;
    }

    private static PluginManifest build(JsonNode m) {
        PluginManifest.Runtime runtime = PluginManifest.Runtime.fromWireName(m.get("runtime").asText());
        List<String> permissions = new ArrayList<>();
        m.path("permissions").forEach(p -> permissions.add(p.asText()));
        List<PluginDependency> dependencies = new ArrayList<>();
        m.path("dependencies").forEach(d ->
                dependencies.add(new PluginDependency(d.get("id").asText(), SemVerRange.parse(d.get("version").asText()))));
        JsonNode config = m.path("config");
        return new PluginManifest(
                m.get("id").asText(),
                m.get("name").asText(),
                SemVer.parse(m.get("version").asText()),
                m.get("description").asText(),
                m.get("author").asText(),
                runtime,
                m.has("main") ? m.get("main").asText() : runtime.defaultMain(),
                m.get("capabilities").deepCopy(),
                permissions,
                resources(m.get("resourceRequirements")),
                PluginManifest.SecurityLevel.fromWireName(m.get("securityLevel").asText()),
                m.has("auditLevel") ? PluginManifest.AuditLevel.fromWireName(m.get("auditLevel").asText())
                        : PluginManifest.AuditLevel.BASIC,
                dependencies,
                m.path("apiVersion").asText(PluginManifest.DEFAULT_API_VERSION),
                m.path("engineVersion").asText(PluginManifest.DEFAULT_API_VERSION),
                config.isObject() ? ((ObjectNode) config).deepCopy() : JsonNodeFactory.instance.objectNode(),
                m.deepCopy());
    }

    private static ResourceRequirements resources(JsonNode r) {
        if (r == null) {
            return ResourceRequirements.DEFAULTS;
        }
        return new ResourceRequirements(
                r.get("maxMemoryMB").asInt(),
                r.get("maxCpuPercent").asDouble(),
                r.get("maxExecutionTimeMs").asLong(),
                r.path("networkAccess").asBoolean(ResourceRequirements.DEFAULT_NETWORK_ACCESS),
                r.path("fileSystemAccess").asBoolean(ResourceRequirements.DEFAULT_FILE_SYSTEM_ACCESS),
                r.hasNonNull("burstMemoryMB") ? r.get("burstMemoryMB").asInt() : null,
                r.hasNonNull("burstCpuPercent") ? r.get("burstCpuPercent").asDouble() : null,
                r.hasNonNull("maxConcurrency") ? r.get("maxConcurrency").asInt() : null,
                allowedHosts(r.path("allowedHosts")));
    }

    private static java.util.List<String> allowedHosts(JsonNode list) {
        java.util.List<String> hosts = new java.util.ArrayList<>();
        list.forEach(h -> hosts.add(h.asText()));
        return hosts;
    }
}
