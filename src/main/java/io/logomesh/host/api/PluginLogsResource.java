package io.logomesh.host.api;

import io.logomesh.host.container.ContainerLogs;
import io.logomesh.host.plugin.PluginManager;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/plugins/{id}/logs?tail=N}: the last N lines the plugin's container
 * wrote (stdout and stderr), bounded per line and per answer, with a marker line
 * {@code [logomesh] output cut: ...} where output was dropped. Empty when it never ran.
 */
@Path("/api/v1/plugins/{id}/logs")
public class PluginLogsResource {

    private final PluginManager plugins;
    private final ContainerLogs logs;

    @Inject
    public PluginLogsResource(PluginManager plugins, ContainerLogs logs) {
        this.plugins = plugins;
        this.logs = logs;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String tail(@PathParam("id") String id, @QueryParam("tail") @DefaultValue("100") String tail) {
        int lines;
        try {
            lines = Integer.parseInt(tail);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("tail must be a whole number of lines");
        }
        if (lines < 1) {
            throw new InvalidRequestException("tail must be at least 1");
        }
        plugins.get(id); // 404 for an unknown plugin
        return logs.tail(id, lines);
    }
}
