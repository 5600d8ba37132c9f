package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

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
        JsonNode actions = manifest.path("actions");
        if (actions.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = actions.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> action = it.next();
                JsonNode payload = action.getValue().path("payload");
                if (payload.isObject()) {
                    String path = "/actions/" + action.getKey().replace("~", "~0").replace("/", "~1") + "/payload";
                    compileError(payload).ifPresent(e -> violations.add(new ManifestViolation(path,
                            "is not a usable JSON Schema: " + e)));
                }
            }
        }
        return violations;
    }

    /** Compiles a payload schema (draft-07) and checks it against the meta-schema. */
    static java.util.Optional<String> compileError(JsonNode schema) {
        try {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
            var meta = factory.getSchema(java.net.URI.create("http://json-schema.org/draft-07/schema#"));
            var problems = meta.validate(schema);
            if (!problems.isEmpty()) {
                return java.util.Optional.of(problems.iterator().next().getMessage());
            }
            factory.getSchema(schema).initializeValidators();
            return java.util.Optional.empty();
        } catch (RuntimeException e) {
            String message = e.getMessage();
            return java.util.Optional.of(message == null ? "it cannot be compiled" : message.lines().findFirst().orElse(""));
        }
    }
}
