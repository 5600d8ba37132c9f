package io.logomesh.host.hostile;

import io.logomesh.host.support.Api;
import io.logomesh.host.support.TestBundle;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.logomesh.host.support.Docker.containersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Hostile plugins that never answer a lifecycle call: each spins in {@code activate} or
 * {@code deactivate}, blocking its own runtime. The host's timeout bounds the call and the
 * container is killed; the host and the neighbour go on.
 */
abstract class LifecycleHangSuite extends HostileSupport {

    @Test
    void aPluginThatNeverAnswersActivateIsBoundedAndKilled() {
        neighbour();
        TestBundle bundle = TestBundle.hostile("hang-activate-" + runtime());
        String id = bundle.id();
        uninstallQuietly(id);
        Api.install(bundle.tarGz()).statusCode(201); // (HostileSupport#install also activates)
        long t0 = System.nanoTime();

        activate(id).statusCode(502).body("error", is("activation_failed"));
        long notice = ContainmentLog.millisSince(t0);

        JsonPath state = get(id).extract().jsonPath();
        assertThat(state.getString("state")).isEqualTo("FAILED");
        assertThat(state.getString("failureReason")).isEqualTo("timeout");
        assertThat(containersOf(id)).as("the spinning container is killed").isEmpty();
        assertHostAndNeighbourHealthy();
        record("never answers activate", true, "activation timeout " + config.lifecycle().activationTimeout().toMillis()
                + " ms -> FAILED timeout, container killed", notice, ContainmentLog.millisSince(t0));
        remove(id);
    }

    @Test
    void aPluginThatNeverAnswersDeactivateIsBoundedAndKilled() {
        String id = install("hang-deactivate");
        echo(id);
        long t0 = System.nanoTime();

        deactivate(id).statusCode(200).body("state", is("INACTIVE"));
        long notice = ContainmentLog.millisSince(t0);

        assertThat(containersOf(id)).as("the spinning container is killed").isEmpty();
        assertHostAndNeighbourHealthy();
        record("never answers deactivate", true, "call timeout " + config.lifecycle().callTimeout().toMillis()
                + " ms, then stop grace " + config.lifecycle().stopGrace().toMillis() + " ms -> INACTIVE, container killed",
                notice, ContainmentLog.millisSince(t0));
        remove(id);
    }
}
