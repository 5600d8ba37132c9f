package io.logomesh.host.plugin;

import java.time.Instant;

/**
 * What the host keeps on disk about an installed plugin besides its bundle
 * ({@code <data>/plugins/<id>/state.json}).
 *
 * @param id            plugin id
 * @param state         last settled state; ACTIVE means "run it again after a restart"
 * @param failureReason reason of the last failure, or null
 * @param uid           the uid its container runs as
 * @param installedAt   when it was installed
 * @param updatedAt     when the record last changed
 */
public record PluginRecord(String id, PluginState state, String failureReason, int uid,
                           Instant installedAt, Instant updatedAt) {

    PluginRecord with(PluginState newState, String reason, Instant at) {
        return new PluginRecord(id, newState, reason, uid, installedAt, at);
    }
}
