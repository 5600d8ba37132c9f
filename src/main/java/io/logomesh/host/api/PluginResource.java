package io.logomesh.host.api;

import io.logomesh.host.audit.AuditActor;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.plugin.ActionRequest;
import io.logomesh.host.plugin.ActionResult;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginSnapshot;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.InputStream;
import java.util.Collection;
import java.util.UUID;

/** Installs plugins, drives their lifecycle and runs their actions. Delegates to {@link PluginManager}. */
@Path("/api/v1/plugins")
@Produces(MediaType.APPLICATION_JSON)
public class PluginResource {

    private static final int MAX_TYPE_LENGTH = 200;

    private final PluginManager plugins;

    @Inject
    public PluginResource(PluginManager plugins) {
        this.plugins = plugins;
    }

    @POST
    @Consumes({"application/gzip", "application/x-gzip", "application/x-tar+gzip", MediaType.APPLICATION_OCTET_STREAM})
    public RestResponse<PluginSnapshot> install(InputStream bundle) {
        PluginSnapshot installed = plugins.install(bundle);
        return RestResponse.ResponseBuilder.<PluginSnapshot>created(
                UriBuilder.fromPath("/api/v1/plugins/{id}").build(installed.id())).entity(installed).build();
    }

    @GET
    public Collection<PluginSnapshot> list() {
        return plugins.list();
    }

    @GET
    @Path("{id}")
    public PluginSnapshot get(@PathParam("id") String id) {
        return plugins.get(id).snapshot();
    }

    @POST
    @Path("{id}/activate")
    public PluginSnapshot activate(@PathParam("id") String id, @QueryParam("cascade") String cascade) {
        boolean cascaded = flag("cascade", cascade);
        return AuditActor.as(AuditEvent.OPERATOR, () -> plugins.activate(id, cascaded));
    }

    @POST
    @Path("{id}/deactivate")
    public PluginSnapshot deactivate(@PathParam("id") String id, @QueryParam("cascade") String cascade) {
        boolean cascaded = flag("cascade", cascade);
        return AuditActor.as(AuditEvent.OPERATOR, () -> plugins.deactivate(id, cascaded));
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw new InvalidRequestException("query parameter " + name + " must be true or false");
    }

    @DELETE
    @Path("{id}")
    public RestResponse<Void> uninstall(@PathParam("id") String id) {
        AuditActor.as(AuditEvent.OPERATOR, () -> {
            plugins.uninstall(id);
            return null;
        });
        return RestResponse.noContent();
    }

    @POST
    @Path("{id}/actions")
    @Consumes(MediaType.APPLICATION_JSON)
    public ActionResult execute(@PathParam("id") String id, ActionBody body) {
        if (body == null || body.type() == null || body.type().isBlank()) {
            throw new InvalidRequestException("an action needs a non-empty \"type\"");
        }
        if (body.type().length() > MAX_TYPE_LENGTH) {
            throw new InvalidRequestException("action type is longer than " + MAX_TYPE_LENGTH + " characters");
        }
        String actionId = body.id() == null || body.id().isBlank() ? UUID.randomUUID().toString() : body.id();
        ActionRequest action = new ActionRequest(actionId, body.type(), body.payload());
        return AuditActor.as(AuditEvent.OPERATOR, () -> plugins.execute(id, action));
    }
}
