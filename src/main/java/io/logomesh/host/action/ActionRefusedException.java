package io.logomesh.host.action;

import io.logomesh.host.PluginHostException;
import io.logomesh.host.manifest.ManifestViolation;

import java.util.List;

/**
 * The host refused an action before the plugin saw it: {@code invalid_action} (400: undeclared type,
 * invalid payload, with the payload's {@link #violations()}) or {@code action_denied} (403: the
 * plugin does not hold a permission the action {@code requires}). Messages start with
 * {@code action denied: }.
 */
public class ActionRefusedException extends PluginHostException {

    private final String code;
    private final List<ManifestViolation> violations;

    public ActionRefusedException(String code, String why, List<ManifestViolation> violations) {
        super("action denied: " + why);
        this.code = code;
        this.violations = List.copyOf(violations);
    }

    @Override
    public String code() {
        return code;
    }

    /** HTTP status: 403 for a missing permission, 400 otherwise. */
    public int status() {
        return "action_denied".equals(code) ? 403 : 400;
    }

    /** What is wrong with the payload (paths are JSON Pointers into the payload); empty otherwise. */
    public List<ManifestViolation> violations() {
        return violations;
    }
}
