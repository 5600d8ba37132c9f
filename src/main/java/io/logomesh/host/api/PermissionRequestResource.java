package io.logomesh.host.api;

import io.logomesh.host.permission.PermissionRequest;
import io.logomesh.host.permission.PermissionService;
import io.logomesh.host.access.Callers;
import io.logomesh.host.access.Role;
import io.logomesh.host.audit.AuditActor;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
import java.util.Set;

/** Operators decide the permissions plugins ask for at run time. Delegates to {@link PermissionService}. */
@Path("/api/v1/permission-requests")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "permissions")
public class PermissionRequestResource {

    private static final Set<String> STATUSES = Set.of(PermissionRequest.PENDING, PermissionRequest.GRANTED,
            PermissionRequest.DENIED);

    private final PermissionService permissions;
    private final SecurityIdentity caller;

    @Inject
    public PermissionRequestResource(PermissionService permissions, SecurityIdentity caller) {
        this.permissions = permissions;
        this.caller = caller;
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Operation(summary = "List run-time permission requests",
            description = "What plugins asked for with ctx.requestPermission, oldest first; filter by status.")
    @APIResponse(responseCode = "200", description = "The requests",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PermissionRequest.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.PERMISSION_REQUESTS)))
    @APIResponse(responseCode = "400", description = "An unknown status", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public List<PermissionRequest> list(
            @Parameter(description = "pending, granted or denied") @QueryParam("status") String status) {
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidRequestException("status must be one of pending, granted, denied");
        }
        return permissions.list(Optional.ofNullable(status));
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/approve")
    @Operation(summary = "Approve a permission request", description = "Grants the permission. network opens the plugin's egress socket (the host's egress proxy); network:<host>:<port> adds that destination to its allow-list; both take effect on the running plugin.")
    @APIResponse(responseCode = "200", description = "The request as decided",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PermissionRequest.class),
            examples = @ExampleObject(name = "ok", value = ApiExamples.PERMISSION_GRANTED)))
    @APIResponse(responseCode = "404", description = "No request with that id", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public PermissionRequest approve(@Parameter(description = "The request id") @PathParam("id") String id,
                                  @Parameter(description = "Why (kept with the decision and audited)")
                                  @QueryParam("reason") String reason) {
        return AuditActor.as(Callers.actor(caller), () -> permissions.approve(id, reason));
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/deny")
    @Operation(summary = "Deny a permission request", description = "Refuses it; denying after an approval revokes the grant: network:<host>:<port> is refused from then on and open connections to it are cut; network closes the egress socket (with every run-time pattern) and cuts every open connection.")
    @APIResponse(responseCode = "200", description = "The request as decided",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PermissionRequest.class),
            examples = @ExampleObject(name = "ok", value = ApiExamples.PERMISSION_DENIED)))
    @APIResponse(responseCode = "404", description = "No request with that id", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public PermissionRequest deny(@Parameter(description = "The request id") @PathParam("id") String id,
                                  @Parameter(description = "Why (kept with the decision and audited)")
                                  @QueryParam("reason") String reason) {
        return AuditActor.as(Callers.actor(caller), () -> permissions.deny(id, reason));
    }
}
