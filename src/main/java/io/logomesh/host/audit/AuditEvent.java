package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * Something that belongs in the audit trail, fired as a synchronous CDI event
 * ({@code Event<AuditEvent>.fire}); the trail's observer bounds it, rate-limits refusals and queues
 * it before {@code fire} returns, without disk I/O on the caller's thread. Every read of the trail
 * ({@code GET /audit}, {@code /audit/verify}, {@code /audit/head}) waits for what was queued before
 * it, so the record is visible before the call that caused it answers. Producers need not cut
 * what they put in ({@link AuditBounds} does), but should not build large strings either
 * ({@link AuditText#cut}).
 *
 * @param type     what happened: {@code lifecycle}, {@code action}, {@code message}, {@code event},
 *                 {@code permission}, {@code grant}, {@code alert}, {@code operator}, {@code plugin} (a
 *                 plugin's own record via {@code ctx.auditLog}), …
 * @param pluginId the plugin concerned, or null for host-wide records
 * @param actor    who caused it: {@code operator}, {@code host}, or {@code plugin:<id>}
 * @param outcome  a short word: {@code ok}, {@code denied}, {@code failed}, {@code granted}, …
 * @param details  the rest, as a JSON object
 * @param at       when
 */
public record AuditEvent(String type, String pluginId, String actor, String outcome, ObjectNode details,
                         Instant at) {

    public static final String OPERATOR = "operator";
    public static final String HOST = "host";

    public AuditEvent {
        details = details == null ? JsonNodeFactory.instance.objectNode() : details;
        at = at == null ? Instant.now() : at;
    }

    public static AuditEvent of(String type, String pluginId, String actor, String outcome, ObjectNode details) {
        return new AuditEvent(type, pluginId, actor, outcome, details, Instant.now());
    }

    /** The actor name for a plugin. */
    public static String plugin(String pluginId) {
        return "plugin:" + pluginId;
    }

    /** A fresh, empty details object. */
    public static ObjectNode newDetails() {
        return JsonNodeFactory.instance.objectNode();
    }

    public JsonNode detail(String field) {
        return details.path(field);
    }
}
