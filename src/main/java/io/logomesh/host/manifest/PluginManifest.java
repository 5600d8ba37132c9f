package io.logomesh.host.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed, validated plugin manifest with every default applied. Built by {@link ManifestParser};
 * {@link #raw()} keeps the manifest exactly as the author wrote it, for display.
 *
 * <p>Defaults: {@code main} per runtime ({@link Runtime#defaultMain()}), {@code resources}
 * {@link ResourceRequirements#DEFAULTS}, {@code auditLevel} {@link AuditLevel#BASIC},
 * {@code dependencies} and {@code permissions} empty, {@code apiVersion} and {@code engineVersion}
 * {@value #DEFAULT_API_VERSION}, {@code config} an empty object. Serializes to JSON with the
 * manifest's own names and lower-case enum values.
 *
 * @param id             unique plugin id ({@code [a-z0-9-]{3,50}})
 * @param name           human-readable name
 * @param version        the plugin's version
 * @param description    what the plugin does
 * @param author         who wrote it
 * @param runtime        where it runs
 * @param main           entry file, relative to the bundle root
 * @param capabilities   the declared capabilities object, as written
 * @param permissions    requested permissions, e.g. {@code network}, {@code messaging:other-plugin}
 * @param resources      requested limits ({@code resourceRequirements} in JSON)
 * @param securityLevel  requested security clearance
 * @param auditLevel     how much to audit
 * @param dependencies   other plugins needed
 * @param apiVersion     host API version the plugin targets
 * @param engineVersion  engine version the plugin targets
 * @param config         configuration handed to the plugin's {@code initialize(config, ctx)}
 * @param raw            the manifest as written
 */
public record PluginManifest(
        String id,
        String name,
        SemVer version,
        String description,
        String author,
        Runtime runtime,
        String main,
        JsonNode capabilities,
        List<String> permissions,
        @JsonProperty("resourceRequirements") ResourceRequirements resources,
        SecurityLevel securityLevel,
        AuditLevel auditLevel,
        List<PluginDependency> dependencies,
        String apiVersion,
        String engineVersion,
        ObjectNode config,
        JsonNode raw) {

    /** Default of {@code apiVersion} and {@code engineVersion}. */
    public static final String DEFAULT_API_VERSION = "1.0.0";

    public PluginManifest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(main, "main");
        permissions = List.copyOf(permissions);
        dependencies = List.copyOf(dependencies);
    }

    /** Whether the manifest asks for the given permission string, e.g. {@code network}. */
    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }

    /** The runtimes a plugin can ask for; JSON uses {@link #wireName()}. */
    public enum Runtime {
        /** Node.js; entry {@code index.js}. */
        NODEJS("nodejs", "index.js"),
        /** Python; entry {@code main.py}. */
        PYTHON("python", "main.py"),
        /** A WASI module; entry {@code plugin.wasm}. */
        WEBASSEMBLY("webassembly", "plugin.wasm");

        private final String wireName;
        private final String defaultMain;

        Runtime(String wireName, String defaultMain) {
            this.wireName = wireName;
            this.defaultMain = defaultMain;
        }

        /** The name used in manifests and JSON, e.g. {@code nodejs}. */
        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The entry file used when the manifest has no {@code main}. */
        public String defaultMain() {
            return defaultMain;
        }

        /** The runtime with this wire name. @throws IllegalArgumentException if there is none */
        @JsonCreator
        public static Runtime fromWireName(String wireName) {
            for (Runtime runtime : values()) {
                if (runtime.wireName.equals(wireName)) {
                    return runtime;
                }
            }
            throw new IllegalArgumentException("unknown runtime '" + wireName + "'");
        }
    }

    /** The security clearance a plugin asks for; JSON uses {@link #wireName()}. */
    public enum SecurityLevel {
        /** Least privilege; the default posture. */
        MINIMAL,
        /** Ordinary plugins. */
        STANDARD,
        /** Plugins that need more than the default; policy must allow it. */
        ELEVATED;

        /** The lower-case name used in manifests and JSON. */
        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The level with this wire name. @throws IllegalArgumentException if there is none */
        @JsonCreator
        public static SecurityLevel fromWireName(String wireName) {
            return valueOf(wireName.toUpperCase(Locale.ROOT));
        }
    }

    /** How much of a plugin's activity is audited; JSON uses {@link #wireName()}. */
    public enum AuditLevel {
        /** The least detail (default). */
        BASIC,
        /** More detail than basic. */
        DETAILED,
        /** The most detail the host records. */
        COMPREHENSIVE;

        /** The lower-case name used in manifests and JSON. */
        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The level with this wire name. @throws IllegalArgumentException if there is none */
        @JsonCreator
        public static AuditLevel fromWireName(String wireName) {
            return valueOf(wireName.toUpperCase(Locale.ROOT));
        }
    }
}
