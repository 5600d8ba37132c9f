package io.logomesh.host.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.access.BearerTokenMechanism;
import io.logomesh.host.access.RefusalAudit;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes the JSON body of a refusal decided before any REST resource runs (Quarkus security on the HTTP layer:
 * a bad token anywhere, no token under {@code /api/}, {@code /q/metrics} without a reader's token):
 * 401 {@code unauthorized} with {@code WWW-Authenticate: Bearer}, or 403 {@code forbidden}. Refusals inside a
 * resource ({@code @RolesAllowed}) are mapped by {@link AccessExceptionMappers} with the same bodies.
 */
@ApplicationScoped
public class AccessRefusals {

    static final String MISSING = BearerTokenMechanism.MISSING;
    static final String INVALID = BearerTokenMechanism.INVALID;
    static final String FORBIDDEN = "this token's role may not make this call";

    private final ObjectMapper mapper;
    private final RefusalAudit refusals;

    @Inject
    public AccessRefusals(ObjectMapper mapper, RefusalAudit refusals) {
        this.mapper = mapper;
        this.refusals = refusals;
    }

    /**
     * Answers a failure that is a security refusal and says so; false for any other failure (then
     * {@link HttpRefusals}, whose failure handler calls this first, answers it).
     */
    boolean answered(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (rc.response().ended() || rc.response().headWritten()) {
            return false;
        }
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            refusals.unauthenticated(rc);
            end(rc, 401, ErrorBody.of("unauthorized", rc.request().getHeader(HttpHeaders.AUTHORIZATION) == null
                    ? MISSING : INVALID));
            return true;
        }
        if (failure instanceof ForbiddenException) {
            end(rc, 403, ErrorBody.of("forbidden", FORBIDDEN));
            return true;
        }
        return false;
    }

    private void end(RoutingContext rc, int status, ErrorBody body) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            json = ("{\"error\":\"" + body.error() + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (status == 401) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"logomesh\"");
        }
        rc.response().end(Buffer.buffer(json));
    }
}
