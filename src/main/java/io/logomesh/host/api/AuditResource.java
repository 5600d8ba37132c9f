package io.logomesh.host.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.audit.AuditHead;
import io.logomesh.host.audit.AuditQuery;
import io.logomesh.host.audit.AuditRecord;
import io.logomesh.host.audit.AuditTrail;
import io.logomesh.host.audit.VerifyReport;
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

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reads and checks the audit trail. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public class AuditResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANCHOR_CHARS = 1024;

    private final AuditTrail trail;

    @Inject
    public AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    /**
     * A page of records, oldest first within the page; {@code offset} counts back from the newest
     * matching record (offset 0 = the newest page).
     */
    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Operation(summary = "Read the audit trail",
            description = "Records across all audit files, filtered; oldest first within the page. offset counts back "
                    + "from the newest matching record (0 = the newest page).")
    @APIResponse(responseCode = "200", description = "The page of records",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AuditRecord.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.AUDIT_PAGE)))
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

    /** Walks every file of the trail and names the first broken record; with an anchor, holds the trail against it. */
    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("verify")
    @Operation(summary = "Verify the audit trail's hash chain",
            description = "Walks every file in order, recomputes each record's hash and checks prevHash links and seq "
                    + "continuity; names the first broken record by file and 1-based line. A trail that no longer starts "
                    + "at seq 1 is valid only when a pruning record (type audit, outcome pruned) names where it starts. "
                    + "With anchor (the JSON of a head from GET /api/v1/audit/head, URL-encoded), the trail must reach the "
                    + "anchor's record count and the record there must carry the anchor's hash: a cut-off tail "
                    + "(anchor.result truncated) or a tail rewritten and rehashed from an edit on (rewritten) is "
                    + "valid:false, and so is an anchor not signed by this host (bad_signature).")
    @APIResponse(responseCode = "200", description = "The result (valid or not)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VerifyReport.class),
            examples = @ExampleObject(name = "ok", value = ApiExamples.VERIFY)))
    @APIResponse(responseCode = "400", description = "An anchor that is not the JSON of a head",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public VerifyReport verify(
            @Parameter(description = "A head from GET /api/v1/audit/head, as JSON (URL-encoded), kept outside the data "
                    + "folder; the trail is held against it") @QueryParam("anchor") String anchor) {
        if (blankToNull(anchor) == null) {
            return trail.verify();
        }
        return trail.verify(head(anchor));
    }

    /** The chain's head, signed with the host's audit key, for the operator to keep elsewhere. */
    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("head")
    @Operation(summary = "The signed head of the audit chain",
            description = "Record count, last hash and time, signed (HMAC-SHA256) with the host's audit key "
                    + "(<data-dir>/audit-anchor.key, mode 0600). Keep it outside the data folder and pass it to "
                    + "GET /api/v1/audit/verify?anchor= to detect a trail cut off or rewritten since.")
    @APIResponse(responseCode = "200", description = "The signed head",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditHead.class),
            examples = @ExampleObject(name = "ok", value = ApiExamples.AUDIT_HEAD)))
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public AuditHead head() {
        return trail.head();
    }

    private static AuditHead head(String anchor) {
        if (anchor.length() > MAX_ANCHOR_CHARS) {
            throw new InvalidRequestException("query parameter anchor is longer than " + MAX_ANCHOR_CHARS + " characters");
        }
        try {
            JsonNode n = JSON.readTree(anchor);
            if (n == null || !n.isObject() || !n.path("records").canConvertToLong() || n.path("records").asLong() < 0
                    || !n.path("lastHash").isTextual() || !n.path("timestamp").isTextual()
                    || !n.path("signature").isTextual()) {
                throw new InvalidRequestException("query parameter anchor must be the JSON of a head from "
                        + "GET /api/v1/audit/head (records, lastHash, timestamp, algorithm, signature)");
            }
            return new AuditHead(n.get("records").asLong(), n.get("lastHash").asText(), n.get("timestamp").asText(),
                    n.path("algorithm").asText(AuditHead.ALGORITHM), n.get("signature").asText());
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("query parameter anchor is not JSON; pass the head from "
                    + "GET /api/v1/audit/head, URL-encoded");
        }
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
