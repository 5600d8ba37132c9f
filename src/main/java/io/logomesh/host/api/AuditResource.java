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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reads and checks the audit trail. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
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
    @Operation(summary = "Read the audit trail",
            description = "Records across all audit files, filtered; oldest first within the page. offset counts back "
                    + "from the newest matching record (0 = the newest page).")
    @APIResponse(responseCode = "200", description = "The page of records",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AuditRecord.class)))
    @APIResponse(responseCode = "400", description = "A malformed query parameter",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public List<AuditRecord> query(
            @Parameter(description = "Only this plugin's records") @QueryParam("pluginId") String pluginId,
            @Parameter(description = "Only this type: lifecycle, action, operator, plugin, message, permission, …")
            @QueryParam("type") String type,
            @Parameter(description = "Only records at or after this ISO-8601 instant") @QueryParam("since") String since,
            @Parameter(description = "Only records before this ISO-8601 instant") @QueryParam("until") String until,
            @Parameter(description = "Page size, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "Matching records to skip, counted back from the newest (default 0)")
            @QueryParam("offset") String offset) {
        int lim = integer("limit", limit, AuditQuery.DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT);
        int off = integer("offset", offset, 0, 0, Integer.MAX_VALUE);
        return trail.query(new AuditQuery(blankToNull(pluginId), blankToNull(type), instant("since", since),
                instant("until", until), lim, off));
    }

    /** Walks every file of the trail and names the first broken record. */
    @GET
    @Path("verify")
    @Operation(summary = "Verify the audit trail's hash chain",
            description = "Walks every file in order, recomputes each record's hash and checks prevHash links and seq "
                    + "continuity; names the first broken record by file and 1-based line.")
    @APIResponse(responseCode = "200", description = "The result (valid or not)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VerifyReport.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
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
