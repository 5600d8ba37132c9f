package io.logomesh.host.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /api/} call needs {@code Authorization: Bearer <token>}; anything else is 401. The same token
 * guards {@code /q/metrics}, a Vert.x route this filter never sees: {@link MetricsAccessFilter}.
 */
public class BearerAuthFilter {

    private static final String PREFIX = "Bearer ";

    private final ApiToken token;

    @Inject
    public BearerAuthFilter(ApiToken token) {
        this.token = token;
    }

    @ServerRequestFilter(preMatching = true)
    public Response authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/") && !path.equals("/api")) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && token.matches(header.substring(PREFIX.length()))) {
            return null;
        }
        String message = header == null ? "missing Authorization: Bearer <token> header" : "invalid bearer token";
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"logomesh\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of("unauthorized", message))
                .build();
    }
}
