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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/plugins/{id}/logs?tail=N}: the last N lines the plugin's container
 * wrote (stdout and stderr), bounded per line and per answer, with a marker line
 * {@code [logomesh] output cut: ...} where output was dropped. Empty when it never ran.
 */
@Path("/api/v1/plugins/{id}/logs")
@Tag(name = "plugins")
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
    @Operation(summary = "Read a plugin's container output",
            description = "The last N lines of stdout and stderr, each line and the whole answer capped, with a "
                    + "'[logomesh] output cut: ...' marker line where output was dropped. Empty when it never ran.")
    @APIResponse(responseCode = "200", description = "The lines",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(implementation = String.class),
            examples = @ExampleObject(name = "ok", value = ApiExamples.LOGS)))
    @APIResponse(responseCode = "400", description = "tail is not a positive whole number", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "No such plugin", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public String tail(@Parameter(description = "The plugin id") @PathParam("id") String id,
                       @Parameter(description = "How many lines (default 100, capped by logomesh.logs.max-lines)")
                       @QueryParam("tail") @DefaultValue("100") String tail) {
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
