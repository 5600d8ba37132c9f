package io.logomesh.host.api;

import io.logomesh.host.monitor.Alert;
import io.logomesh.host.monitor.ResourceUsageReport;
import io.logomesh.host.monitor.UsagePoint;
import io.logomesh.host.monitor.UsageReports;
import io.logomesh.host.access.Callers;
import io.logomesh.host.access.Role;
import io.logomesh.host.audit.AuditActor;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A plugin's measured use, its history and live stream, and its alerts. Delegates to {@link UsageReports}. */
@Path("/api/v1/plugins")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "monitoring")
public class MonitorResource {

    private static final long MAX_HISTORY_SECONDS = 24 * 3600;

    private final UsageReports reports;
    private final SecurityIdentity caller;

    @Inject
    public MonitorResource(UsageReports reports, SecurityIdentity caller) {
        this.reports = reports;
        this.caller = caller;
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("{id}/usage")
    @Operation(summary = "Read a plugin's resource usage",
            description = "The latest sample of the running plugin's container (memory working set, CPU, tasks, "
                    + "network, block I/O), its effective limits, open alerts and resource grants.")
    @APIResponse(responseCode = "200", description = "The usage report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ResourceUsageReport.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.USAGE)))
    @APIResponse(responseCode = "404", description = "No plugin with that id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "The plugin has no running container (not_running)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "The container's counters could not be read (stats_unavailable)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public ResourceUsageReport usage(@Parameter(description = "The plugin id") @PathParam("id") String id) {
        return reports.report(id);
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("{id}/usage/history")
    @Operation(summary = "Read a plugin's usage history",
            description = "The kept samples of the last `seconds` seconds, oldest first; empty when the plugin has "
                    + "not been sampled.")
    @APIResponse(responseCode = "200", description = "The samples",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = History.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.HISTORY)))
    @APIResponse(responseCode = "400", description = "seconds is not a whole number from 0 to 86400",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "No plugin with that id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public History history(@Parameter(description = "The plugin id") @PathParam("id") String id,
                           @Parameter(description = "How far back, in seconds, 0 to 86400 (default 600)")
                           @QueryParam("seconds") @DefaultValue("600") String seconds) {
        long s;
        try {
            s = Long.parseLong(seconds);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("seconds must be a whole number");
        }
        if (s < 0 || s > MAX_HISTORY_SECONDS) {
            throw new InvalidRequestException("seconds must be between 0 and " + MAX_HISTORY_SECONDS);
        }
        return new History(id, reports.history(id, s));
    }

    /** One SSE event named {@code usage} per new sample; data is a history sample. */
    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("{id}/usage/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Stream a plugin's usage",
            description = "Server-sent events: one event named `usage` per new sample of the running plugin, its data "
                    + "a history sample as JSON. The stream ends when the client closes it.")
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = UsagePoint.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.USAGE_EVENT)))
    @APIResponse(responseCode = "404", description = "No plugin with that id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "The plugin has no running container (not_running)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public void stream(@Parameter(description = "The plugin id") @PathParam("id") String id,
                       @Context SseEventSink sink, @Context Sse sse) {
        reports.requireRunning(id);
        AtomicReference<Runnable> unsubscribe = new AtomicReference<>();
        unsubscribe.set(reports.subscribe(id, sample -> {
            if (sink.isClosed()) {
                Runnable u = unsubscribe.get();
                if (u != null) {
                    u.run();
                }
                return;
            }
            sink.send(sse.newEventBuilder().name("usage").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(UsagePoint.class, sample.point()).build())
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            unsubscribe.get().run();
                            sink.close();
                        }
                    });
        }));
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("{id}/alerts")
    @Operation(summary = "List a plugin's alerts",
            description = "The limit alerts raised for the plugin (memory, CPU, tasks, OOM), acknowledged or not.")
    @APIResponse(responseCode = "200", description = "The alerts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Alert.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.ALERT_LIST)))
    @APIResponse(responseCode = "404", description = "No plugin with that id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public List<Alert> alerts(@Parameter(description = "The plugin id") @PathParam("id") String id) {
        return reports.alerts(id);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/alerts/{alertId}/ack")
    @Operation(summary = "Acknowledge a plugin's alert", description = "Marks the alert acknowledged (audited).")
    @APIResponse(responseCode = "200", description = "The alert as acknowledged",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Alert.class),
            examples = @ExampleObject(name = "ok", value = ApiExamples.ALERT)))
    @APIResponse(responseCode = "404", description = "No plugin with that id, or the plugin has no alert with that id "
            + "(alert_not_found)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public Alert acknowledge(@Parameter(description = "The plugin id") @PathParam("id") String id,
                             @Parameter(description = "The alert id") @PathParam("alertId") String alertId) {
        return AuditActor.as(Callers.actor(caller), () -> reports.acknowledge(id, alertId));
    }

    /** The body of {@code /usage/history}. */
    public record History(String pluginId, List<UsagePoint> samples) {
    }
}
