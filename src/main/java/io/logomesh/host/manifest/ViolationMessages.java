package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns networknt's validation messages into short human predicates ("must be at most 1024")
 * that read after a JSON Pointer. Package-private helper of {@link ManifestValidator}.
 */
final class ViolationMessages {

    /** Friendly explanations of the schema's patterns, keyed by the property or definition name. */
    private static final Map<String, String> PATTERN_MESSAGES = Map.of(
            "id", "must contain only lower-case letters, digits and '-'",
            "pluginId", "must contain only lower-case letters, digits and '-'",
            "version", "must be a semantic version such as 1.2.3 or 1.2.3-beta",
            "semver", "must be a semantic version such as 1.2.3, 1.2.3-beta.1 or 1.2.3+build",
            "main", "must be a relative path inside the bundle (no leading '/', no '..' segment, no '\\')",
            "permission", "must be one of network, filesystem, resources:grant, messaging:<plugin-id>, "
                    + "events:publish:<topic> or events:subscribe:<topic>");

    private final JsonNode schema;

    ViolationMessages(JsonNode schema) {
        this.schema = schema;
    }

    String describe(ValidationMessage message) {
        Object[] args = message.getArguments() == null ? new Object[0] : message.getArguments();
        String first = args.length > 0 ? String.valueOf(args[0]) : "";
        return switch (message.getType()) {
            case "required" -> "is required";
            case "additionalProperties" -> unknownProperty(message);
            case "type" -> "must be " + article(expected(args)) + ", not " + article(found(first));
            case "enum" -> "must be one of " + enumValues(message.getSchemaNode());
            case "maximum" -> "must be at most " + first;
            case "minimum" -> "must be at least " + first;
            case "exclusiveMaximum" -> "must be less than " + first;
            case "exclusiveMinimum" -> "must be greater than " + first;
            case "maxLength" -> "must be at most " + first + " characters long";
            case "minLength" -> "1".equals(first) ? "must not be empty" : "must be at least " + first + " characters long";
            case "maxItems" -> "must have at most " + first + " items";
            case "minItems" -> "must have at least " + first + " items";
            case "uniqueItems" -> duplicates(message.getInstanceNode());
            case "multipleOf" -> isOne(first) ? "must be a whole number" : "must be a multiple of " + first;
            case "pattern" -> patternMessage(message.getSchemaLocation().getFragment(), first);
            default -> stripLocation(message.getMessage());
        };
    }

    private String unknownProperty(ValidationMessage message) {
        String property = message.getProperty();
        String text = "is not a known property";
        JsonNodePath fragment = message.getSchemaLocation().getFragment();
        JsonNode known = schema.at(pointer(fragment.getParent())).path("properties");
        List<String> names = new ArrayList<>();
        known.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (property != null && name.toLowerCase(Locale.ROOT).equals(property.toLowerCase(Locale.ROOT))) {
                return text + "; did you mean '" + name + "'?";
            }
        }
        return names.isEmpty() ? text : text + " (allowed: " + String.join(", ", names) + ")";
    }

    private static String patternMessage(JsonNodePath fragment, String pattern) {
        int count = fragment.getNameCount();
        String owner = count >= 2 ? fragment.getName(count - 2) : "";
        return PATTERN_MESSAGES.getOrDefault(owner, "must match the pattern " + pattern);
    }

    private static String expected(Object[] args) {
        return args.length > 1 ? String.valueOf(args[1]) : "another type";
    }

    private static String found(String type) {
        return "integer".equals(type) ? "number" : type;
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "array", "integer" -> "an " + type;
            case "null" -> "null";
            default -> "a " + type;
        };
    }

    private static String enumValues(JsonNode values) {
        if (values == null || !values.isArray()) {
            return "the allowed values";
        }
        List<String> texts = new ArrayList<>();
        values.forEach(v -> texts.add(v.isTextual() ? v.asText() : v.toString()));
        return String.join(", ", texts);
    }

    private static String duplicates(JsonNode array) {
        Set<JsonNode> seen = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        if (array != null) {
            for (JsonNode item : array) {
                String text = item.isTextual() ? "'" + item.asText() + "'" : item.toString();
                if (!seen.add(item) && !repeated.contains(text)) {
                    repeated.add(text);
                }
            }
        }
        return repeated.isEmpty() ? "must not contain duplicates"
                : "must not contain duplicates (" + String.join(", ", repeated) + " listed more than once)";
    }

    private static boolean isOne(String number) {
        try {
            return Double.parseDouble(number) == 1.0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** networknt prefixes its messages with the instance location ("/a/b: ..."); drop it. */
    private static String stripLocation(String text) {
        int colon = text.indexOf(": ");
        return colon >= 0 ? text.substring(colon + 2) : text;
    }

    private static String pointer(JsonNodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; path != null && i < path.getNameCount(); i++) {
            sb.append('/').append(path.getName(i).replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }
}
