package io.logomesh.host.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.audit.AuditHashing;
import io.logomesh.host.manifest.PluginManifest.AuditLevel;
import io.logomesh.host.plugin.ActionRequest;
import io.logomesh.host.plugin.ActionResult;
import io.logomesh.host.plugin.ActionTimeoutException;
import io.logomesh.host.plugin.PluginBusyException;
import io.logomesh.host.plugin.PluginRestartingException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * Records every action that passed the {@link ActionGuard} as an {@code action} record, with as
 * much detail as the plugin's manifest {@code auditLevel} asks for:
 * <ul>
 *   <li>basic: action type, outcome, durationMs (from the dispatch to the plugin), queuedMs (time it waited in
 *       the host for a slot, when it did);</li>
 *   <li>detailed: + payloadBytes, resultBytes (compact JSON, UTF-8) and caller;</li>
 *   <li>comprehensive: + payloadSha256, resultSha256 (of those bytes).</li>
 * </ul>
 * Outcomes: {@code ok}, {@code plugin_error} (the plugin threw), {@code timeout}, {@code busy} (refused by
 * admission control: queue full or no start within its deadline), {@code restarting} (refused while the
 * container is replaced), {@code unavailable} (not active, container gone; the error code is in {@code error}).
 */
@ApplicationScoped
public class ActionAuditor {

    private final Event<AuditEvent> audit;

    @Inject
    public ActionAuditor(Event<AuditEvent> audit) {
        this.audit = audit;
    }

    /** The action returned (successfully or with a plugin error) without waiting for a slot. */
    public void completed(String pluginId, AuditLevel level, String caller, ActionRequest action,
                          ActionResult result) {
        completed(pluginId, level, caller, action, result, 0);
    }

    /**
     * The action returned (successfully or with a plugin error) after waiting {@code queuedMs} in the host for a
     * slot ({@code queuedMs} is recorded when positive; {@code durationMs} counts from the dispatch).
     */
    public void completed(String pluginId, AuditLevel level, String caller, ActionRequest action,
                          ActionResult result, long queuedMs) {
        ObjectNode d = base(action, result.durationMs());
        if (queuedMs > 0) {
            d.put("queuedMs", queuedMs);
        }
        if (!result.success()) {
            d.put("error", result.error());
        }
        JsonNode out = result.success() ? result.result() : null;
        addDetail(d, level, caller, action, out, result.success());
        audit.fire(AuditEvent.of("action", pluginId, caller, result.success() ? "ok" : "plugin_error", d));
    }

    /** The action did not return a result (timeout, plugin unavailable, …). */
    public void refused(String pluginId, AuditLevel level, String caller, ActionRequest action, long durationMs,
                        PluginHostException e) {
        ObjectNode d = base(action, durationMs);
        d.put("error", e.code());
        addDetail(d, level, caller, action, null, false);
        String outcome = switch (e) {
            case ActionTimeoutException t -> "timeout";
            case PluginBusyException b -> "busy";
            case PluginRestartingException r -> "restarting";
            default -> "unavailable";
        };
        audit.fire(AuditEvent.of("action", pluginId, caller, outcome, d));
    }

    private static ObjectNode base(ActionRequest action, long durationMs) {
        ObjectNode d = AuditEvent.newDetails();
        d.put("actionType", action.type());
        d.put("actionId", action.id());
        d.put("durationMs", durationMs);
        return d;
    }

    private static void addDetail(ObjectNode d, AuditLevel level, String caller, ActionRequest action,
                                  JsonNode result, boolean hasResult) {
        if (level == AuditLevel.BASIC) {
            return;
        }
        byte[] payload = AuditHashing.bytes(action.payload());
        byte[] out = hasResult ? AuditHashing.bytes(result) : null;
        d.put("caller", caller);
        d.put("payloadBytes", payload.length);
        if (out != null) {
            d.put("resultBytes", out.length);
        }
        if (level == AuditLevel.COMPREHENSIVE) {
            d.put("payloadSha256", AuditHashing.sha256Hex(payload));
            if (out != null) {
                d.put("resultSha256", AuditHashing.sha256Hex(out));
            }
        }
    }
}
