package io.logomesh.host.api;

import io.logomesh.host.action.ActionInvalidException;
import io.logomesh.host.plugin.PluginBusyException;
import io.logomesh.host.plugin.PluginRestartingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Statuses of the action path's refusals: 400 for a request without a usable shape, 429 {@code busy} (admission
 * queue full, or no start within the deadline) and 503 {@code restarting} (container being replaced), both
 * with {@code Retry-After} in seconds.
 */
public class ActionExceptionMappers {

    @ServerExceptionMapper
    public RestResponse<ErrorBody> invalid(ActionInvalidException e) {
        return RestResponse.ResponseBuilder.<ErrorBody>create(400).entity(ErrorBody.of(e.code(), e.getMessage()))
                .type(MediaType.APPLICATION_JSON).build();
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> busy(PluginBusyException e) {
        return retryLater(429, e.code(), e.getMessage(), e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> restarting(PluginRestartingException e) {
        return retryLater(503, e.code(), e.getMessage(), e.retryAfterSeconds());
    }

    private static RestResponse<ErrorBody> retryLater(int status, String code, String message, long seconds) {
        return RestResponse.ResponseBuilder.<ErrorBody>create(status).entity(ErrorBody.of(code, message))
                .type(MediaType.APPLICATION_JSON).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).build();
    }
}
