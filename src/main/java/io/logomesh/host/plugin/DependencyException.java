package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;

/**
 * A lifecycle operation is refused because of dependencies (409): {@code dependency_missing},
 * {@code dependency_conflict} (installed version outside the range), {@code dependency_inactive}
 * (installed but not active; {@code ?cascade=true} would start it), {@code dependents_active}
 * (active plugins need this one), {@code dependents_installed} (installed plugins need this one).
 */
public class DependencyException extends PluginHostException {

    private final String code;

    public DependencyException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
