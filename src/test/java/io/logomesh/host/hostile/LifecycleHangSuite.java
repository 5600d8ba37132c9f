package io.logomesh.host.hostile;

import io.logomesh.host.support.Api;
import io.logomesh.host.support.TestBundle;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.logomesh.host.support.Docker.containersOf;

/**
 * Hostile plugins that never answer a lifecycle call: each spins in {@code activate} or
 * {@code deactivate}, blocking its own runtime. The host's timeout bounds the call and the
 * container is killed; the host and the neighbour go on.
 */
abstract class LifecycleHangSuite extends HostileSupport {

    @Test
    void aPluginThatNeverAnswersActivateIsBoundedAndKilled() {
        contain("never answers activate", o -> {
            neighbour();
            TestBundle bundle = TestBundle.hostile("hang-activate-" + runtime());
            String id = bundle.id();
            uninstallQuietly(id);
            Api.install(bundle.tarGz()).statusCode(201); // (HostileSupport#install also activates)
            o.start();

            Response r = activate(id).extract().response();
            o.noticed();
            o.assertThat(r.statusCode()).as(r.asString()).isEqualTo(502);
            o.assertThat(r.jsonPath().getString("error")).isEqualTo("activation_failed");

            JsonPath state = get(id).extract().jsonPath();
            o.assertThat(state.getString("state")).isEqualTo("FAILED");
            o.assertThat(state.getString("failureReason")).isEqualTo("timeout");
            int left = containersOf(id).size();
            o.assertThat(left).as("containers left of the spinning plugin").isZero();
            o.how("activation timeout " + config.lifecycle().activationTimeout().toMillis() + " ms -> HTTP "
                    + r.statusCode() + ", " + state.getString("state") + " " + state.getString("failureReason") + ", "
                    + (left == 0 ? "container killed" : left + " container(s) LEFT"));
            assertRecovered(o);
            remove(id);
        });
    }

    @Test
    void aPluginThatNeverAnswersDeactivateIsBoundedAndKilled() {
        contain("never answers deactivate", o -> {
            String id = install("hang-deactivate");
            echo(id);
            o.start();

            Response r = deactivate(id).extract().response();
            o.noticed();
            o.assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            o.assertThat(r.jsonPath().getString("state")).isEqualTo("INACTIVE");
            int left = containersOf(id).size();
            o.assertThat(left).as("containers left of the spinning plugin").isZero();
            o.how("call timeout " + config.lifecycle().callTimeout().toMillis() + " ms, then stop grace "
                    + config.lifecycle().stopGrace().toMillis() + " ms -> HTTP " + r.statusCode() + ", "
                    + r.jsonPath().getString("state") + ", " + (left == 0 ? "container killed" : left + " container(s) LEFT"));
            assertRecovered(o);
            remove(id);
        });
    }
}
