package io.logomesh.host.api;

import io.logomesh.host.monitor.PluginMetrics;
import io.logomesh.host.plugin.ActionRequest;
import io.logomesh.host.plugin.ActionTimeoutException;
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
    private final PluginMetrics metrics;

    @Inject
    public PluginResource(PluginManager plugins, PluginMetrics metrics) {
        this.plugins = plugins;
        this.metrics = metrics;
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
    public PluginSnapshot activate(@PathParam("id") String id) {
        return plugins.activate(id);
    }

    @POST
    @Path("{id}/deactivate")
    public PluginSnapshot deactivate(@PathParam("id") String id) {
        return plugins.deactivate(id);
    }

    @DELETE
    @Path("{id}")
    public RestResponse<Void> uninstall(@PathParam("id") String id) {
        plugins.uninstall(id);
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
        long t0 = System.nanoTime();
        String outcome = "error";
        try {
            ActionResult result = plugins.execute(id, new ActionRequest(actionId, body.type(), body.payload()));
            outcome = result.success() ? "ok" : "failed";
            return result;
        } catch (ActionTimeoutException e) {
            outcome = "timeout";
            throw e;
        } finally {
            metrics.action(id, outcome, System.nanoTime() - t0);
        }
    }
}
