package io.logomesh.host.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.plugin.PluginSnapshot;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audits every mutating operator call ({@code POST}, {@code PUT}, {@code DELETE} under
 * {@code /api/v1/}) as an {@code operator} record — method, path, status, the error code of a
 * refusal and the plugin the path (or the install's answer) names — before the response is
 * sent. Never the token, the query string or the body.
 */
public class OperatorAuditFilter {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "DELETE", "PATCH");
    private static final Pattern PLUGIN_PATH = Pattern.compile("^/api/v1/plugins/([^/]+)");

    private final Event<AuditEvent> audit;

    @Inject
    public OperatorAuditFilter(Event<AuditEvent> audit) {
        this.audit = audit;
    }

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        String method = request.getMethod();
        String path = request.getUriInfo().getPath();
        if (!MUTATING.contains(method) || !path.startsWith("/api/v1/")) {
            return;
        }
        int status = response.getStatus();
        ObjectNode details = AuditEvent.newDetails().put("method", method).put("path", path).put("status", status);
        if (response.getEntity() instanceof ErrorBody error) {
            details.put("error", error.error());
        }
        String pluginId = null;
        Matcher m = PLUGIN_PATH.matcher(path);
        if (m.find()) {
            pluginId = m.group(1);
        } else if (response.getEntity() instanceof PluginSnapshot installed) {
            pluginId = installed.id();
        }
        String outcome = status < 400 ? "ok" : status == 401 || status == 403 ? "denied" : "failed";
        String actor = status == 401 ? "unauthenticated" : AuditEvent.OPERATOR;
        audit.fire(AuditEvent.of("operator", pluginId, actor, outcome, details));
    }
}
