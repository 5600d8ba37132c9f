package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.networknt.schema.JsonSchema;

import java.util.List;

/**
 * An action's payload schema from a manifest, compiled by {@link LocalSchemas} (no loaders, bounded
 * regular expressions). Checking a payload never throws: a pattern that runs past its budget is
 * reported as a violation at the payload's root.
 */
public final class PayloadSchema {

    private final JsonSchema schema;

    private PayloadSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /**
     * Compiles a payload schema the {@link ManifestValidator} has accepted.
     *
     * @throws ManifestInvalidException at {@code pointer} when it is not safe or not compilable
     */
    public static PayloadSchema of(JsonNode schema, String pointer) {
        List<ManifestViolation> unsafe = LocalSchemas.check(schema, pointer);
        if (!unsafe.isEmpty()) {
            throw new ManifestInvalidException(unsafe);
        }
        try {
            return new PayloadSchema(LocalSchemas.compile(schema));
        } catch (RuntimeException e) {
            throw new ManifestInvalidException(List.of(new ManifestViolation(pointer,
                    "is not a usable JSON Schema: " + DeclarationChecks.firstLine(e))));
        }
    }

    /** What is wrong with a payload; empty when it is valid (a missing payload is JSON null). */
    public List<ManifestViolation> violations(JsonNode value) {
        JsonNode node = value == null || value.isMissingNode() ? NullNode.getInstance() : value;
        try {
            return schema.validate(node).stream().map(m -> {
                String path = m.getInstanceLocation().toString();
                path = path.startsWith("$") ? path.substring(1) : path;
                String text = m.getMessage();
                int colon = text.indexOf(": ");
                return new ManifestViolation(path.isEmpty() ? "/" : path,
                        colon >= 0 ? text.substring(colon + 2) : text);
            }).sorted().toList();
        } catch (BoundedRegex.RegexBudgetExceededException e) {
            return List.of(new ManifestViolation(ManifestViolation.ROOT, e.getMessage()));
        }
    }
}
