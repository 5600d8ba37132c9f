package io.logomesh.host.api;

import io.logomesh.host.monitor.Alert;
import io.logomesh.host.monitor.UsageReports;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Optional;

/** Alerts of every plugin, optionally only (un)acknowledged ones. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    private final UsageReports reports;

    @Inject
    public AlertResource(UsageReports reports) {
        this.reports = reports;
    }

    @GET
    public List<Alert> alerts(@QueryParam("acknowledged") String acknowledged) {
        if (acknowledged == null || acknowledged.isBlank()) {
            return reports.alerts(Optional.empty());
        }
        if (!acknowledged.equals("true") && !acknowledged.equals("false")) {
            throw new InvalidRequestException("acknowledged must be true or false");
        }
        return reports.alerts(Optional.of(Boolean.parseBoolean(acknowledged)));
    }
}
