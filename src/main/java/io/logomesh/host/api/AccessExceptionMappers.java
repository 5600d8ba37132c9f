package io.logomesh.host.api;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Refusals by {@code @RolesAllowed} (and {@code access/Callers}) inside the REST layer: 403 {@code forbidden} for
 * a token whose role may not make the call, 401 {@code unauthorized} for none or a bad one; the same bodies as
 * {@link AccessRefusals} writes on the HTTP layer.
 */
public class AccessExceptionMappers {

    private static final String CALLER_SCOPE = "this caller token";

    @ServerExceptionMapper
    public RestResponse<ErrorBody> forbidden(ForbiddenException e) {
        String message = e.getMessage() != null && e.getMessage().startsWith(CALLER_SCOPE)
                ? e.getMessage() : AccessRefusals.FORBIDDEN;
        return RestResponse.ResponseBuilder.<ErrorBody>create(403).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of("forbidden", message)).build();
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> unauthorized(UnauthorizedException e, HttpHeaders headers) {
        return unauthorized(headers);
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> authenticationFailed(AuthenticationFailedException e, HttpHeaders headers) {
        return unauthorized(headers);
    }

    private static RestResponse<ErrorBody> unauthorized(HttpHeaders headers) {
        String message = headers.getHeaderString(HttpHeaders.AUTHORIZATION) == null
                ? AccessRefusals.MISSING : AccessRefusals.INVALID;
        return RestResponse.ResponseBuilder.<ErrorBody>create(401).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"logomesh\"")
                .entity(ErrorBody.of("unauthorized", message)).build();
    }
}
