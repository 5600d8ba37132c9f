package io.logomesh.host.access;

import io.logomesh.host.support.TestDataFolders;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy.CheckResult;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsPolicyTest {

    @Test
    void shouldLetOnlyTokensHoldingTheMetricsRoleReadMetrics(@TempDir Path dir) {
        MetricsPolicy policy = new MetricsPolicy(TestDataFolders.config(dir, Map.of()));

        for (Role role : Role.values()) {
            boolean permitted = decide(policy, identity(role)).isPermitted();
            assertThat(permitted).as(role.wireName()).isEqualTo(role != Role.CALLER);
        }
        assertThat(decide(policy, QuarkusSecurityIdentity.builder().setAnonymous(true).build()).isPermitted()).isFalse();
    }

    @Test
    void shouldLetAnybodyReadMetricsWhenTheOperatorOpensThem(@TempDir Path dir) {
        MetricsPolicy policy = new MetricsPolicy(TestDataFolders.config(dir, Map.of("logomesh.api.metrics-open", "true")));

        assertThat(decide(policy, QuarkusSecurityIdentity.builder().setAnonymous(true).build()).isPermitted()).isTrue();
        assertThat(decide(policy, identity(Role.CALLER)).isPermitted()).isTrue();
    }

    private static CheckResult decide(MetricsPolicy policy, SecurityIdentity who) {
        return policy.checkPermission(null, Uni.createFrom().item(who), null).await().indefinitely();
    }

    private static SecurityIdentity identity(Role role) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("t")).addRoles(role.granted()).build();
    }
}
