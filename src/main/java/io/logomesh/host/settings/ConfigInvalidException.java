package io.logomesh.host.settings;

import io.logomesh.host.manifest.ManifestInvalidException;
import io.logomesh.host.manifest.ManifestViolation;

import java.util.List;

/**
 * Operator config that the plugin's {@code configSchema} refuses (or that is not an object, or too large):
 * answered like a manifest violation (400 with every violation under {@code errors}), code {@code config_invalid}.
 * Paths are JSON Pointers into the effective config, prefixed {@code /config}.
 */
public class ConfigInvalidException extends ManifestInvalidException {

    public ConfigInvalidException(List<ManifestViolation> violations) {
        super("config has " + violations.size() + " violation" + (violations.size() == 1 ? "" : "s") + ": "
                + violations.get(0).path() + " " + violations.get(0).message(), violations);
    }

    @Override
    public String code() {
        return "config_invalid";
    }
}
