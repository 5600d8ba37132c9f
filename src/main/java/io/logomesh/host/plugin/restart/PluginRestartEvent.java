package io.logomesh.host.plugin.restart;

import java.time.Instant;
import java.util.List;

/**
 * A plugin's restart decision, for alerts and the audit trail (state changes are audited as
 * {@code lifecycle} anyway): {@code scheduled} after a failure, or {@code crash_loop} when the host gave up.
 *
 * @param pluginId   the plugin
 * @param kind       {@code scheduled} or {@code crash_loop}
 * @param reason     why the last run ended
 * @param delayMs    back-off before the next try ({@code scheduled}), else 0
 * @param restarts   restarts counted within the window
 * @param windowSec  the crash-loop window in seconds
 * @param reasons    why the last runs ended, oldest first
 * @param at         when
 */
public record PluginRestartEvent(String pluginId, String kind, String reason, long delayMs, int restarts,
                                 long windowSec, List<String> reasons, Instant at) {

    public static final String SCHEDULED = "scheduled";
    public static final String CRASH_LOOP = "crash_loop";
}
