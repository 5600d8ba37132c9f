package io.logomesh.host.plugin;

import java.util.List;

/**
 * The plugin is FAILED (for good: a crash loop, a {@code never} restart policy, or a start that failed) and
 * takes no actions until an operator activates it again: 409 with its state and the reasons of its last runs.
 */
public class PluginFailedException extends IllegalTransitionException {

    private final List<String> reasons;

    public PluginFailedException(String pluginId, String reason, List<String> reasons) {
        super(pluginId, PluginState.FAILED, "run an action on", " (" + reason + "); activate it again once fixed");
        this.reasons = List.copyOf(reasons);
    }

    /** Why its last runs ended, oldest first (the last one is the failure reason). */
    public List<String> reasons() {
        return reasons;
    }

    @Override
    public String code() {
        return "plugin_failed";
    }
}
