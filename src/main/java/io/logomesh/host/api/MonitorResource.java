package io.logomesh.host.api;

import io.logomesh.host.monitor.Alert;
import io.logomesh.host.monitor.ResourceUsageReport;
import io.logomesh.host.monitor.UsagePoint;
import io.logomesh.host.monitor.UsageReports;
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

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A plugin's measured use, its history and live stream, and its alerts. Delegates to {@link UsageReports}. */
@Path("/api/v1/plugins/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class MonitorResource {

    private static final long MAX_HISTORY_SECONDS = 24 * 3600;

    private final UsageReports reports;

    @Inject
    public MonitorResource(UsageReports reports) {
        this.reports = reports;
    }

    @GET
    @Path("usage")
    public ResourceUsageReport usage(@PathParam("id") String id) {
        return reports.report(id);
    }

    @GET
    @Path("usage/history")
    public History history(@PathParam("id") String id, @QueryParam("seconds") @DefaultValue("600") String seconds) {
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
    @GET
    @Path("usage/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@PathParam("id") String id, @Context SseEventSink sink, @Context Sse sse) {
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

    @GET
    @Path("alerts")
    public List<Alert> alerts(@PathParam("id") String id) {
        return reports.alerts(id);
    }

    @POST
    @Path("alerts/{alertId}/ack")
    public Alert acknowledge(@PathParam("id") String id, @PathParam("alertId") String alertId) {
        return reports.acknowledge(id, alertId);
    }

    /** The body of {@code /usage/history}. */
    public record History(String pluginId, List<UsagePoint> samples) {
    }
}
