package io.logomesh.host.plugin;

import java.time.Instant;

/**
 * One state change of one plugin.
 *
 * @param pluginId the plugin
 * @param from     the state it left
 * @param to       the state it entered
 * @param reason   why (failure reason, or null)
 * @param at       when
 */
public record PluginStateEvent(String pluginId, PluginState from, PluginState to, String reason, Instant at) {
}
