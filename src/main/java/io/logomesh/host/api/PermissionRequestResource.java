package io.logomesh.host.api;

import io.logomesh.host.permission.PermissionRequest;
import io.logomesh.host.permission.PermissionService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Operators decide the permissions plugins ask for at run time. Delegates to {@link PermissionService}. */
@Path("/api/v1/permission-requests")
@Produces(MediaType.APPLICATION_JSON)
public class PermissionRequestResource {

    private static final Set<String> STATUSES = Set.of(PermissionRequest.PENDING, PermissionRequest.GRANTED,
            PermissionRequest.DENIED);

    private final PermissionService permissions;

    @Inject
    public PermissionRequestResource(PermissionService permissions) {
        this.permissions = permissions;
    }

    @GET
    public List<PermissionRequest> list(@QueryParam("status") String status) {
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidRequestException("status must be one of pending, granted, denied");
        }
        return permissions.list(Optional.ofNullable(status));
    }

    @POST
    @Path("{id}/approve")
    public PermissionRequest approve(@PathParam("id") String id, @QueryParam("reason") String reason) {
        return permissions.approve(id, reason);
    }

    @POST
    @Path("{id}/deny")
    public PermissionRequest deny(@PathParam("id") String id, @QueryParam("reason") String reason) {
        return permissions.deny(id, reason);
    }
}
