package io.logomesh.host.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.audit.AuditText;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audits a mutating {@code /api/v1/} call refused 401 on the HTTP layer (before any resource runs, so
 * {@code api/OperatorAuditFilter} never sees it) as that filter records it: type {@code operator}, actor
 * {@code unauthenticated}, outcome {@code denied}, method, path (cut), status, error and the connection's peer
 * address (never a forwarded-for header); the trail rate-limits such records per address. Never the token.
 */
@ApplicationScoped
public class RefusalAudit {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "DELETE", "PATCH");
    private static final Pattern PLUGIN_PATH = Pattern.compile("^/api/v1/plugins/([^/]+)");

    private final Event<AuditEvent> audit;

    @Inject
    public RefusalAudit(Event<AuditEvent> audit) {
        this.audit = audit;
    }

    /** Records the 401 refusal of {@code rc}'s request when it is a mutating API call. */
    public void unauthenticated(RoutingContext rc) {
        String method = rc.request().method().name();
        String path = rc.normalizedPath();
        if (!MUTATING.contains(method) || path == null || !path.startsWith("/api/v1/")) {
            return;
        }
        ObjectNode details = AuditEvent.newDetails().put("method", method).put("path", AuditText.cutId(path))
                .put("status", 401).put("error", "unauthorized");
        SocketAddress peer = rc.request().remoteAddress();
        details.put("remote", peer == null ? "unknown"
                : peer.hostAddress() != null ? peer.hostAddress() : AuditText.cutId(peer.toString()));
        Matcher m = PLUGIN_PATH.matcher(path);
        String pluginId = m.find() ? AuditText.cutId(m.group(1)) : null;
        audit.fire(AuditEvent.of("operator", pluginId, "unauthenticated", "denied", details));
    }
}
