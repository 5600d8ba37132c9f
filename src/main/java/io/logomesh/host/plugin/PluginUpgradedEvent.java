package io.logomesh.host.plugin;

import io.logomesh.host.manifest.PluginManifest;

import java.time.Instant;

/**
 * A plugin now runs (or, when not running, will run) a new version: fired once the switch is made, before the
 * old version is drained. The state did not change, so no {@link PluginStateEvent} fires; whoever applies
 * something to a plugin's container (run-time network approvals, resource grants) applies it to
 * {@code containerId} again.
 *
 * @param pluginId    the plugin
 * @param from        the version it ran
 * @param manifest    the version it runs now
 * @param containerId the new version's container, or null when the plugin is not running
 * @param rollback    whether this was a rollback
 * @param at          when it switched
 */
public record PluginUpgradedEvent(String pluginId, String from, PluginManifest manifest, String containerId,
                                  boolean rollback, Instant at) {
}
