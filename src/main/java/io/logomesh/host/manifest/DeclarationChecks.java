package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Manifest rules about what a plugin declares that the schema cannot express: the permissions
 * its {@code securityLevel} forbids ({@link PermissionLevels}), and {@code actions} payload
 * schemas that do not compile. Package-private helper of {@link ManifestValidator}.
 */
final class DeclarationChecks {

    private static final String USELESS = "is not a usable JSON Schema: ";

    private DeclarationChecks() {
    }

    static List<ManifestViolation> check(JsonNode manifest) {
        List<ManifestViolation> violations = new ArrayList<>();
        PluginManifest.SecurityLevel level;
        try {
            level = PluginManifest.SecurityLevel.fromWireName(manifest.path("securityLevel").asText(""));
        } catch (IllegalArgumentException e) {
            level = null; // the schema reports it
        }
        if (level != null) {
            JsonNode permissions = manifest.path("permissions");
            for (int i = 0; i < permissions.size(); i++) {
                String permission = permissions.get(i).asText();
                final int index = i;
                PermissionLevels.forbiddenToDeclare(level, permission)
                        .ifPresent(why -> violations.add(new ManifestViolation("/permissions/" + index, why)));
            }
            JsonNode res = manifest.path("resourceRequirements");
            for (Map.Entry<String, String> flag : Map.of("networkAccess", "network", "fileSystemAccess", "filesystem")
                    .entrySet()) {
                if (res.path(flag.getKey()).asBoolean(false)) {
                    final String key = flag.getKey();
                    PermissionLevels.forbiddenToDeclare(level, flag.getValue()).ifPresent(why -> violations.add(
                            new ManifestViolation("/resourceRequirements/" + key, "must not be true: " + why)));
                }
            }
        }
        violations.addAll(allowedHostsViolations(manifest.path("resourceRequirements").path("allowedHosts"), level));
        JsonNode actions = manifest.path("actions");
        if (actions.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = actions.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> action = it.next();
                JsonNode payload = action.getValue().path("payload");
                if (payload.isObject()) {
                    violations.addAll(payloadViolations(payload,
                            "/actions/" + LocalSchemas.escape(action.getKey()) + "/payload"));
                }
            }
        }
        JsonNode configSchema = manifest.path("configSchema");
        if (configSchema.isObject()) {
            violations.addAll(payloadViolations(configSchema, "/configSchema"));
        }
        return violations;
    }

    /**
     * Bad {@code allowedHosts} entries, each at its index with why ({@link HostPattern#problem}); and the
     * whole list at {@code minimal}, which may never hold {@code network}.
     */
    static List<ManifestViolation> allowedHostsViolations(JsonNode hosts, PluginManifest.SecurityLevel level) {
        List<ManifestViolation> violations = new ArrayList<>();
        if (!hosts.isArray()) {
            return violations; // absent, or the schema reports it
        }
        if (level == PluginManifest.SecurityLevel.MINIMAL && !hosts.isEmpty()) {
            violations.add(new ManifestViolation("/resourceRequirements/allowedHosts", "must be empty: securityLevel "
                    + "minimal may never hold 'network', so nothing could be reached"));
        }
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).isTextual()) {
                final int index = i;
                HostPattern.problem(hosts.get(i).asText()).ifPresent(why -> violations.add(
                        new ManifestViolation("/resourceRequirements/allowedHosts/" + index, why)));
            }
        }
        return violations;
    }

    /**
     * What is wrong with a payload schema at {@code path}: unsafe ({@link LocalSchemas#check}: remote
     * or file references, size, depth, long patterns), not draft-07, or not compilable.
     */
    static List<ManifestViolation> payloadViolations(JsonNode schema, String path) {
        List<ManifestViolation> unsafe = LocalSchemas.check(schema, path);
        if (!unsafe.isEmpty()) {
            return unsafe;
        }
        try {
            var problems = LocalSchemas.metaSchema().validate(schema);
            if (!problems.isEmpty()) {
                return List.of(new ManifestViolation(path, USELESS + problems.iterator().next().getMessage()));
            }
            LocalSchemas.compile(schema);
            return List.of();
        } catch (RuntimeException e) {
            return List.of(new ManifestViolation(path, USELESS + firstLine(e)));
        }
    }

    /** The first line of an exception's message, without class names. */
    static String firstLine(RuntimeException e) {
        String message = e.getMessage();
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        if (line.isBlank() || line.matches(".*\\b[a-z]+(\\.[a-z0-9]+)+\\.[A-Z]\\w*.*")) {
            return "it cannot be compiled";
        }
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
