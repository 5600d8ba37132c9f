package io.logomesh.host.plugin;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.awaitState;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.logomesh.host.support.Docker.containersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Self-healing with real containers: restart policy {@code on-failure} (opted into by the manifest; the test
 * profile's default is {@code never}) with the test profile's budget of 3 restarts within 10 minutes and the
 * default back-off of 1 s doubling.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class PluginRestartTest {

    private static TestBundle onFailure(String fixture, String id) {
        return TestBundle.fixture(fixture, id).manifest(m -> m.put("restartPolicy", "on-failure"));
    }

    @Test
    void shouldBringAnOomKilledPluginBackAndAnsweringWithoutAnyCallOfOurs() {
        String id = installAndActivate(onFailure("echo-node", "heal-oom")
                .manifest(m -> m.with("resourceRequirements").put("maxMemoryMB", 48)));
        String killed = get(id).extract().path("containerId");

        // the action that ran when the kernel killed the runtime: 503 restarting too (retry it), never 502
        action(id, "{\"type\":\"alloc\",\"payload\":{\"mb\":200}}").statusCode(503).body("error", is("restarting"))
                .header("Retry-After", "1");

        // no activate, no action: the host alone brings it back (in a new container)
        JsonPath back = awaitNewContainer(id, killed, 30);
        assertThat(back.getString("state")).isEqualTo("ACTIVE");
        assertThat(back.getString("failureReason")).isNull();
        assertThat(back.getString("restart.policy")).isEqualTo("on-failure");
        assertThat(back.getInt("restart.count")).isEqualTo(1);
        assertThat(back.getList("restart.lastReasons")).containsExactly("oom");
        assertThat(back.getString("restart.attempts[0].reason")).isEqualTo("oom");
        assertThat(back.getString("restart.attempts[0].outcome")).isEqualTo("started");
        action(id, "{\"type\":\"echo\",\"payload\":7}").statusCode(200).body("result", is(7));
        assertThat(containersOf(id)).hasSize(1);
        List<Map<String, Object>> audited = api().get("/api/v1/audit?type=restart&pluginId=" + id).then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertThat(audited).extracting(r -> r.get("outcome")).containsExactly("scheduled");
        assertThat(api().get("/q/metrics").then().statusCode(200).extract().asString()).containsPattern(
                "logomesh_plugin_restarts_total\\{[^}]*kind=\"scheduled\"[^}]*plugin=\"" + id + "\"[^}]*} 1\\.0");
        uninstallQuietly(id);
    }

    /** Polls until the plugin is ACTIVE in a container other than {@code old}; its last snapshot either way. */
    private static JsonPath awaitNewContainer(String id, String old, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        JsonPath now = get(id).extract().jsonPath();
        while (System.currentTimeMillis() < deadline
                && !("ACTIVE".equals(now.getString("state")) && !old.equals(now.getString("containerId")))) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            now = get(id).extract().jsonPath();
        }
        assertThat(now.getString("containerId")).as("a new container").isNotEqualTo(old);
        return now;
    }

    @Test
    void shouldRefuseActionsWhileRestartingAndEndAPluginThatExitsOnEveryStartAsACrashLoop() throws InterruptedException {
        // the plugin exits while it loads, on every start: the operator's start fails already, and the host retries
        String id = "heal-loop";
        install(onFailure("echo-node", id).file("index.js", "process.exit(1);\n").tarGz()).statusCode(201);

        Instant before = Instant.now();
        activate(id).statusCode(502).body("error", is("activation_failed"));
        // RESTARTING, or already STARTING again on a slow machine; either way the host's doing
        assertThat(get(id).extract().<String>path("state")).isIn("RESTARTING", "STARTING");

        // while it waits for its next start: 503 restarting at once, Retry-After = seconds to that start
        List<Integer> retryAfters = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        String state = "RESTARTING";
        while (!"FAILED".equals(state) && System.currentTimeMillis() < deadline) {
            ExtractableResponse<Response> r = action(id, "{\"type\":\"echo\"}").extract();
            state = get(id).extract().path("state");
            if (r.statusCode() == 503) {
                assertThat(r.jsonPath().getString("error")).isEqualTo("restarting");
                retryAfters.add(Integer.parseInt(r.header("Retry-After")));
            } else {
                assertThat(r.statusCode()).as("only 503 restarting or, at the end, 409").isEqualTo(409);
            }
            Thread.sleep(200);
        }
        assertThat(retryAfters).as("refused with 503 while restarting").isNotEmpty().allMatch(s -> s >= 1 && s <= 4);

        JsonPath failed = awaitState(id, "FAILED", 1).body("failureReason", is("crash_loop")).extract().jsonPath();
        assertThat(failed.getInt("restart.count")).isEqualTo(3);
        assertThat(failed.getList("restart.lastReasons")).containsExactly("exited:1", "exited:1", "exited:1",
                "exited:1");
        List<Map<String, Object>> attempts = failed.getList("restart.attempts");
        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(a -> ((Number) a.get("delayMs")).longValue())
                .containsExactly(1000L, 2000L, 4000L);
        // gaps from the recorded times: each start waited its back-off after the failure before it, and
        // the gaps between starts grow
        List<Instant> started = new ArrayList<>();
        for (Map<String, Object> a : attempts) {
            Instant failedAt = Instant.parse((String) a.get("failedAt"));
            Instant startedAt = Instant.parse((String) a.get("startedAt"));
            assertThat(failedAt).isAfterOrEqualTo(before.minusSeconds(1));
            assertThat(Duration.between(failedAt, startedAt).toMillis())
                    .isGreaterThanOrEqualTo(((Number) a.get("delayMs")).longValue());
            assertThat(a.get("outcome")).isEqualTo("failed:exited:1");
            started.add(startedAt);
        }
        Duration gap1 = Duration.between(started.get(0), started.get(1));
        Duration gap2 = Duration.between(started.get(1), started.get(2));
        assertThat(gap2).isGreaterThan(gap1);

        // FAILED for good: 409 with the state and the reasons; a crash_loop alert and audit record
        action(id, "{\"type\":\"echo\"}").statusCode(409).body("error", is("plugin_failed"))
                .body("state", is("FAILED")).body("reasons", not(empty()));
        List<Map<String, Object>> alerts = api().get("/api/v1/plugins/{id}/alerts", id).then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(alerts).extracting(a -> a.get("type")).contains("crash_loop");
        List<Map<String, Object>> audited = api().get("/api/v1/audit?type=restart&pluginId=" + id).then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertThat(audited).extracting(r -> r.get("outcome")).containsExactly("scheduled", "scheduled", "scheduled",
                "crash_loop");
        assertThat(containersOf(id)).isEmpty();
        uninstallQuietly(id);
    }

    @Test
    void shouldKeepACrashedPluginDownWithPolicyNever() throws InterruptedException {
        String id = installAndActivate(TestBundle.fixture("echo-node", "heal-never")
                .manifest(m -> m.put("restartPolicy", "never")));

        action(id, "{\"type\":\"exit\",\"payload\":{\"code\":3}}").statusCode(502);
        awaitState(id, "FAILED", 10).body("failureReason", is("exited:3"));
        Thread.sleep(3_000); // longer than the first back-off would have been

        get(id).body("state", is("FAILED")).body("restart.policy", is("never"))
                .body("restart.attempts", empty()).body("restart.nextAttemptAt", nullValue());
        action(id, "{\"type\":\"echo\"}").statusCode(409).body("error", is("plugin_failed"))
                .body("reasons", not(empty()));
        assertThat(containersOf(id)).isEmpty();
        uninstallQuietly(id);
    }

    @Test
    void shouldTellARunningDependentWhenItsDependencyFailsForGoodAndLeaveItRunning() {
        String base = installAndActivate(TestBundle.fixture("echo-node", "heal-dep-base")
                .manifest(m -> m.put("restartPolicy", "never")));
        String user = installAndActivate(TestBundle.fixture("echo-node", "heal-dep-user")
                .manifest(m -> m.putArray("dependencies").addObject().put("id", base).put("version", "^1.0.0"))
                .file("index.js", """
                        'use strict';
                        const seen = [];
                        module.exports = {
                          activate(ctx) { ctx.on('dependencyFailed', (event, from) => { seen.push({ event, from }); }); },
                          deactivate() {},
                          execute(action) { return action.type === 'seen' ? seen : action.payload; },
                        };
                        """));

        action(base, "{\"type\":\"exit\",\"payload\":{\"code\":5}}").statusCode(502);
        awaitState(base, "FAILED", 10);

        long deadline = System.currentTimeMillis() + 10_000;
        List<Map<String, Object>> seen = List.of();
        while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
            seen = action(user, "{\"type\":\"seen\"}").statusCode(200).extract().jsonPath().getList("result");
        }
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.get("from")).isEqualTo("@host");
            @SuppressWarnings("unchecked")
            Map<String, Object> event = (Map<String, Object>) s.get("event");
            assertThat(event.get("type")).isEqualTo("dependencyFailed");
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) event.get("data");
            assertThat(data).containsEntry("dependency", base).containsEntry("state", "FAILED")
                    .containsEntry("reason", "exited:5").containsEntry("action", "keep-running");
        });
        get(user).body("state", is("ACTIVE"));
        api().post("/api/v1/plugins/{id}/deactivate", user);
        uninstallQuietly(user);
        uninstallQuietly(base);
    }
}
