package io.logomesh.host.plugin;

import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.manifest.SemVer;
import io.logomesh.host.manifest.SemVerFormatException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The versions a plugin is checked against at install: the host API version ({@link #API_VERSION},
 * the contract of PROTOCOL.md and the REST API) and the engine version (the host's own version
 * from pom.xml, which Quarkus records as {@code quarkus.application.version} at build time).
 *
 * <p>Rules: the manifest's {@code apiVersion} must have the host's major version and must not be
 * newer than the host's API; its {@code engineVersion} must not be newer than the engine.
 * Pre-release tags are ignored in these comparisons (a {@code 1.2.0-SNAPSHOT} engine runs
 * plugins written for {@code 1.2.0}).
 */
@ApplicationScoped
public class HostVersions {

    /**
     * The host API version: the contract of PROTOCOL.md and of the REST API (the REST path carries its
     * major, {@code /api/v1}). Declared once, here; the REST layer's OpenAPI document reads it from here.
     */
    public static final String API_VERSION = "1.0.0";

    private final SemVer api;
    private final SemVer engine;

    @Inject
    public HostVersions() {
        this(API_VERSION, ConfigProvider.getConfig()
                .getOptionalValue("quarkus.application.version", String.class).orElse(API_VERSION));
    }

    public HostVersions(String api, String engine) {
        this.api = SemVer.parse(api);
        this.engine = SemVer.parse(engine);
    }

    public SemVer api() {
        return api;
    }

    public SemVer engine() {
        return engine;
    }

    /** Why the manifest cannot run on this host; empty when it can. */
    public List<ManifestViolation> incompatibilities(PluginManifest manifest) {
        List<ManifestViolation> violations = new ArrayList<>();
        SemVer wanted = parse(manifest.apiVersion(), "/apiVersion", violations);
        if (wanted != null) {
            if (wanted.major() != api.major()) {
                violations.add(new ManifestViolation("/apiVersion", "targets host API " + wanted + " but this host offers API "
                        + api + "; the major versions differ"));
            } else if (compareTuples(wanted, api) > 0) {
                violations.add(new ManifestViolation("/apiVersion", "targets host API " + wanted
                        + ", newer than this host's API " + api));
            }
        }
        SemVer needed = parse(manifest.engineVersion(), "/engineVersion", violations);
        if (needed != null && compareTuples(needed, engine) > 0) {
            violations.add(new ManifestViolation("/engineVersion", "needs engine " + needed + " but this host's engine is "
                    + engine));
        }
        return violations;
    }

    private static SemVer parse(String text, String path, List<ManifestViolation> violations) {
        if (text == null) {
            return null;
        }
        try {
            return SemVer.parse(text);
        } catch (SemVerFormatException e) {
            violations.add(new ManifestViolation(path, "must be a semantic version such as 1.0.0"));
            return null;
        }
    }

    private static int compareTuples(SemVer a, SemVer b) {
        return new SemVer(a.major(), a.minor(), a.patch()).compareTo(new SemVer(b.major(), b.minor(), b.patch()));
    }
}
