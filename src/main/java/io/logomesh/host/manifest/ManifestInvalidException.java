package io.logomesh.host.manifest;

import io.logomesh.host.PluginHostException;
import java.util.List;

/**
 * A manifest (or the bundle around it) is not acceptable. Carries <em>every</em> violation found,
 * sorted by path, so that a plugin author can fix them all in one round.
 */
public class ManifestInvalidException extends PluginHostException {

    private final List<ManifestViolation> violations;

    public ManifestInvalidException(List<ManifestViolation> violations) {
        super(describe(violations));
        this.violations = violations.stream().sorted().toList();
    }

    /** For subclasses that word their own message (e.g. operator config); {@code violations} not empty. */
    protected ManifestInvalidException(String message, List<ManifestViolation> violations) {
        super(message);
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ManifestInvalidException needs at least one violation");
        }
        this.violations = violations.stream().sorted().toList();
    }

    /** Shortcut for a single problem with the manifest as a whole (path {@code "/"}). */
    public static ManifestInvalidException atRoot(String message) {
        return new ManifestInvalidException(List.of(ManifestViolation.atRoot(message)));
    }

    /** Every violation, sorted by path; never empty. */
    public List<ManifestViolation> violations() {
        return violations;
    }

    @Override
    public String code() {
        return "manifest_invalid";
    }

    private static String describe(List<ManifestViolation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ManifestInvalidException needs at least one violation");
        }
        if (violations.size() == 1) {
            ManifestViolation only = violations.get(0);
            return "manifest has 1 violation: " + only.path() + " " + only.message();
        }
        return "manifest has " + violations.size() + " violations";
    }
}
