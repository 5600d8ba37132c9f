package io.logomesh.host.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.config.HostConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code /q/metrics} (Prometheus: per-plugin ids, states and usage) needs the same bearer token as
 * {@code /api/}, unless the operator opens it with {@code logomesh.api.metrics-open=true}. Metrics are
 * served by a Vert.x route, not a REST resource, so {@link BearerAuthFilter} never sees them: this
 * filter runs in front of every route; a refusal is the same 401 JSON body.
 */
@ApplicationScoped
public class MetricsAccessFilter {

    static final String METRICS = "/q/metrics";
    private static final String PREFIX = "Bearer ";
    /** Before Quarkus' own handlers and routes. */
    private static final int PRIORITY = 100;

    private final ApiToken token;
    private final boolean open;
    private final byte[] missing;
    private final byte[] invalid;

    @Inject
    public MetricsAccessFilter(ApiToken token, HostConfig config, ObjectMapper mapper) throws JsonProcessingException {
        this.token = token;
        this.open = config.api().metricsOpen();
        this.missing = mapper.writeValueAsBytes(ErrorBody.of("unauthorized", "missing Authorization: Bearer <token> header"));
        this.invalid = mapper.writeValueAsBytes(ErrorBody.of("unauthorized", "invalid bearer token"));
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (allowed(rc.normalizedPath(), header)) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"logomesh\"")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(header == null ? missing : invalid));
    }

    /** Whether a request for {@code path} with this {@code Authorization} header may go on. */
    boolean allowed(String path, String authorization) {
        if (open || path == null || !isMetrics(path)) {
            return true;
        }
        return authorization != null && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && token.matches(authorization.substring(PREFIX.length()));
    }

    private static boolean isMetrics(String path) {
        String p = path.replaceAll("/{2,}", "/").toLowerCase(java.util.Locale.ROOT);
        return p.equals(METRICS) || p.startsWith(METRICS + "/");
    }
}
