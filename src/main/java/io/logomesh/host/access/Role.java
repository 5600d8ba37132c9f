package io.logomesh.host.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do. Each REST resource method names the least role it admits with
 * {@code @RolesAllowed} (the constants below); a higher role includes the lower ones ({@link #granted}), so
 * {@code @RolesAllowed(VIEWER_NAME)} admits viewer, operator and admin tokens. docs/access-and-logs.md lists
 * the role of every endpoint class.
 * <ul>
 *   <li>{@link #ADMIN}: everything, including token management;</li>
 *   <li>{@link #OPERATOR}: install, upgrade, lifecycle, config, secrets, approving permission requests,
 *       acknowledging alerts, running actions, and everything a viewer reads;</li>
 *   <li>{@link #VIEWER}: read-only (every {@code GET}, and {@code /q/metrics});</li>
 *   <li>{@link #CALLER}: only {@code POST /plugins/{id}/actions} on the plugins named in the token;</li>
 *   <li>{@link #METRICS}: only {@code /q/metrics}.</li>
 * </ul>
 */
public enum Role {
    ADMIN, OPERATOR, VIEWER, CALLER, METRICS;

    public static final String ADMIN_NAME = "admin";
    public static final String OPERATOR_NAME = "operator";
    public static final String VIEWER_NAME = "viewer";
    public static final String CALLER_NAME = "caller";
    public static final String METRICS_NAME = "metrics";

    /** The lower-case name used in tokens, {@code @RolesAllowed} and JSON. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The roles a token of this role holds: itself and every role it includes. */
    public java.util.Set<String> granted() {
        return switch (this) {
            case ADMIN -> java.util.Set.of(ADMIN_NAME, OPERATOR_NAME, VIEWER_NAME, METRICS_NAME);
            case OPERATOR -> java.util.Set.of(OPERATOR_NAME, VIEWER_NAME, METRICS_NAME);
            case VIEWER -> java.util.Set.of(VIEWER_NAME, METRICS_NAME);
            case CALLER -> java.util.Set.of(CALLER_NAME);
            case METRICS -> java.util.Set.of(METRICS_NAME);
        };
    }

    /** The role named {@code name} (lower case), if any. */
    public static Optional<Role> parse(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }
}
