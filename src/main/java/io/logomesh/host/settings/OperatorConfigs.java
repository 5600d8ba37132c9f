package io.logomesh.host.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.AtomicFiles;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.manifest.ManifestInvalidException;
import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PayloadSchema;
import io.logomesh.host.manifest.PluginManifest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Operators' config values for a plugin, kept in {@code <data>/plugins/<id>/operator-config.json}: merged
 * over the bundle's {@code config} ({@link #merge}: objects key by key, anything else replaced; the
 * operator's {@code null} removes a bundle key), checked against the manifest's optional
 * {@code configSchema} (draft-07, compiled only through {@code LocalSchemas}) and bounded to
 * {@value #MAX_BYTES} bytes of compact JSON. Survives restarts and upgrades; goes with an uninstall.
 */
@ApplicationScoped
public class OperatorConfigs {

    /** Largest operator config, as compact JSON. */
    public static final int MAX_BYTES = 64 * 1024;
    static final String FILE_NAME = "operator-config.json";

    private final Path pluginsRoot;
    private final ObjectMapper mapper;

    @Inject
    public OperatorConfigs(DataFolder data, ObjectMapper mapper) {
        this.pluginsRoot = data.pluginsRoot();
        this.mapper = mapper;
    }

    /** The operator's values (an empty object when none were set). */
    public ObjectNode operatorValues(String pluginId) {
        Path f = file(pluginId);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(f.toFile());
            return node instanceof ObjectNode o ? o : mapper.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the operator config of " + pluginId, e);
        }
    }

    /** What the plugin gets: the operator's values merged over the bundle's {@code config}. */
    public ObjectNode effective(PluginManifest manifest) {
        return merge(manifest.config(), operatorValues(manifest.id()));
    }

    /**
     * Checks {@code values} against {@code manifest} (without storing them); the effective config.
     *
     * @throws ConfigInvalidException listing every violation
     */
    public ObjectNode check(PluginManifest manifest, JsonNode values) {
        if (values == null || !values.isObject()) {
            throw new ConfigInvalidException(List.of(new ManifestViolation("/config",
                    "operator config must be a JSON object")));
        }
        int size;
        try {
            size = mapper.writeValueAsBytes(values).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (size > MAX_BYTES) {
            throw new ConfigInvalidException(List.of(new ManifestViolation("/config",
                    "operator config is " + size + " bytes; at most " + MAX_BYTES + " are kept")));
        }
        ObjectNode effective = merge(manifest.config(), (ObjectNode) values);
        List<ManifestViolation> violations = violations(manifest, effective);
        if (!violations.isEmpty()) {
            throw new ConfigInvalidException(violations);
        }
        return effective;
    }

    /** Checks and stores the operator's values (replacing what was set); the effective config. */
    public synchronized ObjectNode put(PluginManifest manifest, JsonNode values) {
        ObjectNode effective = check(manifest, values);
        try {
            AtomicFiles.write(file(manifest.id()), mapper.writeValueAsBytes(values));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the operator config of " + manifest.id(), e);
        }
        return effective;
    }

    /**
     * What the manifest's {@code configSchema} says is wrong with {@code effective}, at {@code /config/...};
     * empty when it has none or all is well.
     */
    public static List<ManifestViolation> violations(PluginManifest manifest, JsonNode effective) {
        JsonNode schema = manifest.raw() == null ? null : manifest.raw().get("configSchema");
        if (schema == null || !schema.isObject()) {
            return List.of();
        }
        PayloadSchema compiled;
        try {
            compiled = PayloadSchema.of(schema, "/configSchema");
        } catch (ManifestInvalidException e) {
            return e.violations();
        }
        return compiled.violations(effective).stream()
                .map(v -> new ManifestViolation("/config" + (v.path().equals("/") ? "" : v.path()), v.message()))
                .toList();
    }

    /** {@code over} merged onto a copy of {@code base}: objects key by key, a {@code null} removes the key. */
    public static ObjectNode merge(ObjectNode base, ObjectNode over) {
        ObjectNode out = base == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : base.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            JsonNode current = out.get(e.getKey());
            if (value.isNull()) {
                out.remove(e.getKey());
            } else if (value.isObject() && current instanceof ObjectNode currentObject) {
                out.set(e.getKey(), merge(currentObject, (ObjectNode) value));
            } else {
                out.set(e.getKey(), value.deepCopy());
            }
        }
        return out;
    }

    private Path file(String pluginId) {
        return pluginsRoot.resolve(pluginId).resolve(FILE_NAME);
    }
}
