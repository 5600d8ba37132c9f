package io.logomesh.host.api;

import io.logomesh.host.action.ActionRefusedException;
import io.logomesh.host.permission.PermissionException;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Statuses for the refusals of action validation and the permission-request API. */
public class MessagingExceptionMappers {

    @ServerExceptionMapper
    public RestResponse<ErrorBody> actionRefused(ActionRefusedException e) {
        return json(e.status(), new ErrorBody(e.code(), e.getMessage(),
                e.violations().isEmpty() ? null : e.violations(), null, null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> permission(PermissionException e) {
        return json("not_found".equals(e.code()) ? 404 : 400, ErrorBody.of(e.code(), e.getMessage()));
    }

    private static RestResponse<ErrorBody> json(int status, ErrorBody body) {
        return RestResponse.ResponseBuilder.<ErrorBody>create(status).entity(body).type(MediaType.APPLICATION_JSON)
                .build();
    }
}
