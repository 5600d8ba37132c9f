package io.logomesh.host.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.access.TokenNotFoundException;
import io.logomesh.host.access.TokenRefusedException;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.container.NodeRefusedException;
import io.logomesh.host.container.NodeUnavailableException;
import io.logomesh.host.container.StatsUnavailableException;
import io.logomesh.host.manifest.BundleInvalidException;
import io.logomesh.host.manifest.BundleTooLargeException;
import io.logomesh.host.manifest.ManifestInvalidException;
import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.monitor.AlertNotFoundException;
import io.logomesh.host.monitor.PluginNotRunningException;
import io.logomesh.host.plugin.ActionTimeoutException;
import io.logomesh.host.plugin.DependencyException;
import io.logomesh.host.plugin.IllegalTransitionException;
import io.logomesh.host.plugin.PluginActivationException;
import io.logomesh.host.plugin.PluginAlreadyInstalledException;
import io.logomesh.host.plugin.PluginFailedException;
import io.logomesh.host.plugin.PluginNotFoundException;
import io.logomesh.host.plugin.PluginUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * Turns every failure into {@code {"error": code, "message": sentence}} with the right
 * status. Nothing here ever sends a stack trace or a class name to a client.
 */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public RestResponse<ErrorBody> manifestInvalid(ManifestInvalidException e) {
        return json(400, new ErrorBody(e.code(), e.getMessage(), e.violations(), null, null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> bundleInvalid(BundleInvalidException e) {
        return json(400, new ErrorBody(e.code(), e.getMessage(),
                List.of(new ManifestViolation("/", e.getMessage())), null, null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> illegalTransition(IllegalTransitionException e) {
        return json(409, new ErrorBody(e.code(), e.getMessage(), null, e.current().name(), null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> pluginFailed(PluginFailedException e) {
        return json(409, new ErrorBody(e.code(), e.getMessage(), null, e.current().name(), null, e.reasons()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> notRunning(PluginNotRunningException e) {
        return json(409, new ErrorBody(e.code(), e.getMessage(), null, e.state(), null));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> actionTimeout(ActionTimeoutException e) {
        return json(504, new ErrorBody(e.code(), e.getMessage(), null, null, false));
    }

    /** Cluster mode: no node is ready for the plugin (the service's side); a retry may find one. */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> nodeRefused(NodeRefusedException e) {
        LOG.warnf("%s: %s", e.code(), e.getMessage());
        return RestResponse.ResponseBuilder.<ErrorBody>create(503).entity(ErrorBody.of(e.code(), e.getMessage()))
                .type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(NodeRefusedException.RETRY_AFTER_SECONDS)).build();
    }

    /**
     * Cluster mode: the node a pinned plugin's data is on is away; the plugin waits for it (RESTARTING
     * {@code node_unavailable}) and starts there once it is back, its next try at most Retry-After away.
     */
    @ServerExceptionMapper
    public RestResponse<ErrorBody> nodeUnavailable(NodeUnavailableException e) {
        LOG.warnf("%s: %s", e.code(), e.getMessage());
        return RestResponse.ResponseBuilder.<ErrorBody>create(503).entity(ErrorBody.of(e.code(), e.getMessage()))
                .type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(NodeUnavailableException.RETRY_AFTER_SECONDS)).build();
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> hostFailure(PluginHostException e) {
        int status = statusOf(e);
        if (status >= 500) {
            LOG.warnf("%s: %s", e.code(), e.getMessage());
        }
        return json(status, ErrorBody.of(e.code(), e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> badJson(JsonProcessingException e) {
        // Jackson's own messages name Java types; say where, not what the parser thought
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        String what = e instanceof MismatchedInputException
                ? "request body does not have the shape this call expects" : "request body is not valid JSON";
        return json(400, ErrorBody.of("invalid_json", what + where));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> mismatchedJson(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public RestResponse<ErrorBody> webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        Response r = e.getResponse();
        int status = r == null ? 500 : r.getStatus();
        String reason = r == null || r.getStatusInfo() == null ? "error" : r.getStatusInfo().getReasonPhrase();
        String code = reason.toLowerCase().replace(' ', '_');
        return json(status, ErrorBody.of(code, status == 404 ? "no such resource" : reason.toLowerCase()));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    public RestResponse<ErrorBody> unexpected(Throwable e) {
        LOG.error("unexpected failure while serving a request", e);
        return json(500, ErrorBody.of("internal_error", "the host failed to serve this request; see its log"));
    }

    private static int statusOf(PluginHostException e) {
        if (e instanceof PluginNotFoundException || e instanceof AlertNotFoundException
                || e instanceof io.logomesh.host.settings.SecretNotFoundException
                || e instanceof TokenNotFoundException) {
            return 404;
        }
        if (e instanceof PluginAlreadyInstalledException || e instanceof DependencyException
                || e instanceof io.logomesh.host.plugin.PluginUpgradeFailedException
                || e instanceof io.logomesh.host.plugin.NoPreviousVersionException) {
            return 409;
        }
        if (e instanceof io.logomesh.host.plugin.PluginIdMismatchException
                || e instanceof io.logomesh.host.settings.SecretRefusedException) {
            return 400;
        }
        if (e instanceof BundleTooLargeException) {
            return 413;
        }
        if (e instanceof PluginActivationException || e instanceof PluginUnavailableException) {
            return 502;
        }
        if (e instanceof ContainerLaunchException || e instanceof ContainerEngineException
                || e instanceof StatsUnavailableException) {
            return 503;
        }
        if (e instanceof TokenRefusedException refused) {
            return "token_not_revocable".equals(refused.code()) ? 409 : 400;
        }
        if (e instanceof InvalidRequestException || "semver_invalid".equals(e.code())) {
            return 400;
        }
        return 500;
    }

    private static RestResponse<ErrorBody> json(int status, ErrorBody body) {
        return RestResponse.ResponseBuilder.<ErrorBody>create(status).entity(body).type(MediaType.APPLICATION_JSON)
                .build();
    }
}
