package io.logomesh.host.audit;

/**
 * Fired (synchronous CDI event) when a plugin's refusals start to exceed what the trail records for
 * it ({@code logomesh.audit.refusal-rate} / {@code refusal-burst}); once per episode, until the
 * plugin is quiet again. The monitor turns it into an alert; the audit package does not call up.
 *
 * @param pluginId      the plugin
 * @param kind          the first kind left out ({@code type:outcome}, e.g. {@code message:failed})
 * @param ratePerSecond the refusals per second recorded for one source
 * @param burst         the burst recorded for one source
 */
public record AuditRefusalFlood(String pluginId, String kind, double ratePerSecond, int burst) {
}
