package io.logomesh.host.api;

import io.logomesh.host.access.Role;
import jakarta.annotation.security.RolesAllowed;

import io.logomesh.host.permission.EgressStatus;
import io.logomesh.host.permission.PermissionService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where a plugin may connect through the host's egress proxy. Delegates to {@link PermissionService}. */
@Path("/api/v1/plugins")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "permissions")
public class EgressResource {

    private final PermissionService permissions;

    @Inject
    public EgressResource(PermissionService permissions) {
        this.permissions = permissions;
    }

    @GET
    @Path("{id}/egress")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Read a plugin's egress allow-list",
            description = "Whether it holds network, whether its egress socket is open, the operator's allow-private "
                    + "setting, its allow-list (from the manifest's allowedHosts and approved network:<host>:<port>) "
                    + "and its open connections. Every connection is audited as type egress.")
    @APIResponse(responseCode = "200", description = "The plugin's egress",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EgressStatus.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.EGRESS)))
    @APIResponse(responseCode = "404", description = "No plugin with that id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public EgressStatus egress(@Parameter(description = "The plugin id") @PathParam("id") String id) {
        return permissions.egressStatus(id);
    }
}
