package io.logomesh.host.api;

import io.logomesh.host.monitor.Alert;
import io.logomesh.host.monitor.UsageReports;
import io.logomesh.host.access.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Optional;

/** Alerts of every plugin, optionally only (un)acknowledged ones. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "monitoring")
public class AlertResource {

    private final UsageReports reports;

    @Inject
    public AlertResource(UsageReports reports) {
        this.reports = reports;
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Operation(summary = "List the alerts of every plugin",
            description = "The limit alerts of all plugins; filter by whether they were acknowledged.")
    @APIResponse(responseCode = "200", description = "The alerts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Alert.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.ALERT_LIST)))
    @APIResponse(responseCode = "400", description = "acknowledged is neither true nor false",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public List<Alert> alerts(
            @Parameter(description = "true or false: only (un)acknowledged alerts (default: all)")
            @QueryParam("acknowledged") String acknowledged) {
        if (acknowledged == null || acknowledged.isBlank()) {
            return reports.alerts(Optional.empty());
        }
        if (!acknowledged.equals("true") && !acknowledged.equals("false")) {
            throw new InvalidRequestException("acknowledged must be true or false");
        }
        return reports.alerts(Optional.of(Boolean.parseBoolean(acknowledged)));
    }
}
