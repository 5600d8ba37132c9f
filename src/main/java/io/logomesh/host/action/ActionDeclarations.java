package io.logomesh.host.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PayloadSchema;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest's {@code actions} block, compiled: for each declared type, the payload's JSON Schema
 * (draft-07, compiled by {@link PayloadSchema}: nothing outside the schema is loaded) and the permissions it requires. {@link #NONE} when the manifest declares no
 * actions (then every type reaches the plugin, as before).
 */
public final class ActionDeclarations {

    /** A manifest without {@code actions}. */
    public static final ActionDeclarations NONE = new ActionDeclarations(null);

    private final Map<String, Declared> types;

    private ActionDeclarations(Map<String, Declared> types) {
        this.types = types;
    }

    /** Compiles the {@code actions} object of a manifest (the validator has checked the schemas compile). */
    public static ActionDeclarations of(JsonNode manifest) {
        JsonNode actions = manifest == null ? null : manifest.path("actions");
        if (actions == null || !actions.isObject()) {
            return NONE;
        }
        Map<String, Declared> types = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = actions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode payload = e.getValue().path("payload");
            PayloadSchema schema = payload.isObject()
                    ? PayloadSchema.of(payload, "/actions/" + e.getKey().replace("~", "~0").replace("/", "~1") + "/payload")
                    : null;
            List<String> requires = new ArrayList<>();
            e.getValue().path("requires").forEach(p -> requires.add(p.asText()));
            types.put(e.getKey(), new Declared(schema, List.copyOf(requires)));
        }
        return new ActionDeclarations(types);
    }

    /** Whether the manifest declares its actions at all. */
    public boolean declared() {
        return types != null;
    }

    public List<String> typeNames() {
        return types == null ? List.of() : List.copyOf(types.keySet());
    }

    public Optional<Declared> type(String type) {
        return types == null ? Optional.empty() : Optional.ofNullable(types.get(type));
    }

    /**
     * One declared action type.
     *
     * @param payload  the payload's schema, or null when any payload is accepted
     * @param requires permissions the plugin must hold
     */
    public record Declared(PayloadSchema payload, List<String> requires) {

        /** What is wrong with a payload; empty when it is valid (a missing payload is JSON null). */
        public List<ManifestViolation> violations(JsonNode value) {
            return payload == null ? List.of() : payload.violations(value);
        }
    }
}
