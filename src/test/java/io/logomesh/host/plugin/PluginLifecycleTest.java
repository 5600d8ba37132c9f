package io.logomesh.host.plugin;

import io.logomesh.host.support.Docker;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.awaitState;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstall;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.logomesh.host.support.Docker.containersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;

/** The whole lifecycle through REST, with real containers, for each runtime. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class PluginLifecycleTest {

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldInstallActivateRunDeactivateAndUninstall(String fixture) {
        String id = fixture + "-life";
        install(TestBundle.fixture(fixture, id).tarGz())
                .statusCode(201).header("Location", containsString("/api/v1/plugins/" + id))
                .body("state", is("INSTALLED")).body("manifest.id", is(id));
        api().get("/api/v1/plugins").then().statusCode(200).body("id", hasItem(id));

        activate(id).statusCode(200).body("state", is("ACTIVE")).body("containerId", notNullValue());
        assertThat(containersOf(id)).hasSize(1);

        action(id, "{\"type\":\"echo\",\"payload\":{\"x\":[1,2],\"s\":\"héllo\"}}")
                .statusCode(200).body("success", is(true)).body("result.x", contains(1, 2))
                .body("result.s", is("héllo")).body("durationMs", greaterThanOrEqualTo(0));
        action(id, "{\"type\":\"fail\",\"payload\":{\"msg\":\"bad input\"}}")
                .statusCode(200).body("success", is(false)).body("error", containsString("boom: bad input"));
        action(id, "{\"type\":\"echo\",\"payload\":\"still alive\"}")
                .statusCode(200).body("result", is("still alive"));

        deactivate(id).statusCode(200).body("state", is("INACTIVE")).body("containerId", nullValue());
        assertThat(containersOf(id)).isEmpty();
        action(id, "{\"type\":\"echo\"}").statusCode(409).body("state", is("INACTIVE"));

        activate(id).statusCode(200).body("state", is("ACTIVE"));
        uninstall(id).statusCode(204);
        get(id).statusCode(404).body("error", is("plugin_not_found"));
        assertThat(containersOf(id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldKillTimedOutActionAndServeTheNextOneFromAFreshContainer(String fixture) {
        String id = installAndActivate(TestBundle.fixture(fixture, fixture + "-spin"));
        String firstContainer = get(id).extract().path("containerId");

        action(id, "{\"type\":\"spin\"}").statusCode(504)
                .body("error", is("action_timeout")).body("success", is(false));
        awaitState(id, "ACTIVE", 20); // meanwhile actions are refused at once with 503 restarting
        action(id, "{\"type\":\"echo\",\"payload\":42}").statusCode(200).body("result", is(42));

        get(id).body("state", is("ACTIVE")).body("containerId", not(firstContainer));
        assertThat(containersOf(id)).hasSize(1);
        uninstallQuietly(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldMarkPluginFailedWithExitCodeWhenItsProcessExits(String fixture) {
        String id = installAndActivate(TestBundle.fixture(fixture, fixture + "-exit"));

        action(id, "{\"type\":\"exit\",\"payload\":{\"code\":3}}").statusCode(502);

        awaitState(id, "FAILED", 10).body("failureReason", is("exited:3")).body("containerId", nullValue());
        assertThat(containersOf(id)).isEmpty();
        activate(id).statusCode(200).body("state", is("ACTIVE"));
        uninstallQuietly(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldMarkPluginFailedWhenItsContainerIsRemovedFromUnderIt(String fixture) {
        String id = installAndActivate(TestBundle.fixture(fixture, fixture + "-gone"));

        Docker.client().removeContainerCmd(get(id).extract().path("containerId")).withForce(true).exec();

        awaitState(id, "FAILED", 10).body("failureReason", oneOf("vanished", "exited:137"));
        action(id, "{\"type\":\"echo\"}").statusCode(409).body("state", is("FAILED"));
        activate(id).statusCode(200).body("state", is("ACTIVE"));
        uninstallQuietly(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldReportOomWhenPluginOutgrowsItsMemory(String fixture) {
        String id = installAndActivate(TestBundle.fixture(fixture, fixture + "-oom")
                .manifest(m -> m.with("resourceRequirements").put("maxMemoryMB", 48)));

        action(id, "{\"type\":\"alloc\",\"payload\":{\"mb\":200}}").statusCode(502);

        awaitState(id, "FAILED", 10).body("failureReason", is("oom"));
        uninstallQuietly(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldAnswerAHostCallItRefusesWithAnErrorThePluginCanCatch(String fixture) {
        String id = installAndActivate(TestBundle.fixture(fixture, fixture + "-calls"));

        // the host refuses (no such plugin): the plugin sees the error and goes on
        action(id, "{\"type\":\"send\",\"payload\":{\"target\":\"nobody-here\",\"message\":{\"type\":\"ping\"}}}")
                .statusCode(200).body("success", is(false)).body("error", containsString("no plugin 'nobody-here' is installed"));
        for (String level : new String[]{"debug", "info", "warn", "error"}) {
            action(id, "{\"type\":\"log\",\"payload\":{\"level\":\"" + level + "\",\"message\":\"hi\"}}")
                    .statusCode(200).body("result.ok", is(true));
        }
        action(id, "{\"type\":\"echo\",\"payload\":1}").statusCode(200).body("result", is(1));
        uninstallQuietly(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad-load-node", "missing-exports-python"})
    void shouldFailActivationOfBrokenPluginWithTheReason(String fixture) {
        String id = fixture + "-x";
        install(TestBundle.fixture(fixture, id).tarGz()).statusCode(201);

        activate(id).statusCode(502).body("error", is("activation_failed"));

        get(id).body("state", is("FAILED")).body("failureReason", notNullValue());
        assertThat(containersOf(id)).isEmpty();
        uninstall(id).statusCode(204);
    }
}
