package io.logomesh.host.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.access.Callers;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.audit.AuditText;
import io.logomesh.host.plugin.PluginSnapshot;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audits every mutating operator call ({@code POST}, {@code PUT}, {@code DELETE} under
 * {@code /api/v1/}) as an {@code operator} record, actor {@code token:<id>} (the token's id, never the token) —
 * method, path, status, the error code of a
 * refusal and the plugin the path (or the install's answer) names — before the response is
 * sent. Never the token, the query string or the body. An unauthenticated call (401) is recorded
 * with actor {@code unauthenticated} and its {@code remote} address (the peer of the connection,
 * never a forwarded-for header a caller could forge), which the trail rate-limits per address
 * ({@code logomesh.audit.refusal-rate}); the path is cut like every id ({@link AuditText}).
 *
 * <p>An action call that reached admission is not recorded again here: the action path
 * ({@code action/ActionService}) writes its own record for each one, answered (200) or refused
 * after the guard (429 busy, 503 restarting, 504 timeout, 502 unavailable). Refusals before that
 * (400, 403, 404, 409, 401) are recorded here as for every other call.
 */
public class OperatorAuditFilter {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "DELETE", "PATCH");
    private static final Pattern PLUGIN_PATH = Pattern.compile("^/api/v1/plugins/([^/]+)");
    private static final Pattern ACTION_PATH = Pattern.compile("^/api/v1/plugins/[^/]+/actions/?$");
    /** Statuses of an action call that the action path audited itself. */
    private static final Set<Integer> AUDITED_BY_ACTION_PATH = Set.of(200, 429, 502, 503, 504);

    private final Event<AuditEvent> audit;

    @Inject
    public OperatorAuditFilter(Event<AuditEvent> audit) {
        this.audit = audit;
    }

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest http) {
        String method = request.getMethod();
        String path = request.getUriInfo().getPath();
        if (!MUTATING.contains(method) || !path.startsWith("/api/v1/")) {
            return;
        }
        int status = response.getStatus();
        if ("POST".equals(method) && AUDITED_BY_ACTION_PATH.contains(status) && ACTION_PATH.matcher(path).matches()) {
            return;
        }
        ObjectNode details = AuditEvent.newDetails().put("method", method).put("path", AuditText.cutId(path))
                .put("status", status);
        if (response.getEntity() instanceof ErrorBody error) {
            details.put("error", error.error());
        }
        String pluginId = null;
        Matcher m = PLUGIN_PATH.matcher(path);
        if (m.find()) {
            pluginId = AuditText.cutId(m.group(1));
        } else if (response.getEntity() instanceof PluginSnapshot installed) {
            pluginId = installed.id();
        }
        String outcome = status < 400 ? "ok" : status == 401 || status == 403 ? "denied" : "failed";
        SecurityContext security = request.getSecurityContext();
        String actor = status == 401 || security == null ? "unauthenticated" : Callers.actor(security.getUserPrincipal());
        if (status == 401) {
            details.put("remote", remote(http));
        }
        audit.fire(AuditEvent.of("operator", pluginId, actor, outcome, details));
    }

    private static String remote(HttpServerRequest http) {
        SocketAddress peer = http == null ? null : http.remoteAddress();
        return peer == null ? "unknown" : peer.hostAddress() != null ? peer.hostAddress() : AuditText.cutId(peer.toString());
    }
}
