package io.logomesh.host.api;

import io.logomesh.host.audit.AuditQuery;
import io.logomesh.host.audit.AuditRecord;
import io.logomesh.host.audit.AuditTrail;
import io.logomesh.host.audit.VerifyReport;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reads and checks the audit trail. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditTrail trail;

    @Inject
    public AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    /**
     * A page of records, oldest first within the page; {@code offset} counts back from the newest
     * matching record (offset 0 = the newest page).
     */
    @GET
    public List<AuditRecord> query(@QueryParam("pluginId") String pluginId, @QueryParam("type") String type,
                                   @QueryParam("since") String since, @QueryParam("until") String until,
                                   @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        int lim = integer("limit", limit, AuditQuery.DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT);
        int off = integer("offset", offset, 0, 0, Integer.MAX_VALUE);
        return trail.query(new AuditQuery(blankToNull(pluginId), blankToNull(type), instant("since", since),
                instant("until", until), lim, off));
    }

    /** Walks every file of the trail and names the first broken record. */
    @GET
    @Path("verify")
    public VerifyReport verify() {
        return trail.verify();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Instant instant(String name, String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("query parameter " + name + " must be an ISO-8601 instant such as "
                    + "2026-01-01T00:00:00Z");
        }
    }

    private static int integer(String name, String value, int fallback, int min, int max) {
        if (blankToNull(value) == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("query parameter " + name + " must be a whole number from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max));
    }
}
