package io.logomesh.host.access;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;

import java.security.Principal;
import java.util.List;

/**
 * Who is calling, for the audit trail and for the one rule roles alone cannot say: a {@code caller} token runs
 * actions only on the plugins it names ({@link #requireActionOn}, called by the action endpoint and nowhere
 * else).
 */
public final class Callers {

    /** Identity attribute: the plugin ids a caller token may run actions on. */
    public static final String PLUGINS = "logomesh.plugins";

    private Callers() {
    }

    /** The audit actor of this identity: {@code token:<id>}; never the token itself. */
    public static String actor(SecurityIdentity identity) {
        return actor(identity == null || identity.isAnonymous() ? null : identity.getPrincipal());
    }

    /** The audit actor of a JAX-RS principal: {@code token:<id>}, or {@code unauthenticated}. */
    public static String actor(Principal principal) {
        return principal == null ? "unauthenticated" : "token:" + principal.getName();
    }

    /** Refuses (403) a caller token that does not name {@code pluginId}; every other role passes. */
    public static void requireActionOn(SecurityIdentity identity, String pluginId) {
        if (!identity.hasRole(Role.CALLER_NAME)) {
            return;
        }
        List<?> plugins = identity.getAttribute(PLUGINS);
        if (plugins == null || !plugins.contains(pluginId)) {
            throw new ForbiddenException("this caller token may not run actions on plugin " + pluginId);
        }
    }
}
