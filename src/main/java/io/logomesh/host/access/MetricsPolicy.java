package io.logomesh.host.access;

import io.logomesh.host.config.HostConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who may read {@code /q/metrics} (per-plugin ids, states and usage): a token holding the {@code metrics} role
 * (metrics, viewer, operator, admin; 401 without one, 403 for a caller token), or anybody when the operator sets
 * {@code logomesh.api.metrics-open=true} for a scraper that cannot send a token. Bound to the path in
 * application.properties ({@code quarkus.http.auth.permission.metrics}).
 */
@ApplicationScoped
public class MetricsPolicy implements HttpSecurityPolicy {

    /** The policy name application.properties binds to the metrics path. */
    public static final String NAME = "logomesh-metrics";

    private final boolean open;

    @Inject
    public MetricsPolicy(HostConfig config) {
        this.open = config.api().metricsOpen();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext context) {
        if (open) {
            return Uni.createFrom().item(CheckResult.PERMIT);
        }
        return identity.map(who -> !who.isAnonymous() && who.hasRole(Role.METRICS_NAME)
                ? CheckResult.PERMIT : CheckResult.DENY);
    }
}
