package io.logomesh.host.logs;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.awaitState;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** A plugin's own log (ctx.log lines, stdout/stderr) against real containers, and what survives its container. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class PluginLogsSurviveTest {

    /** echo-node, plus an action that writes to stdout and stderr. */
    private static TestBundle printing(String id) {
        TestBundle bundle = TestBundle.fixture("echo-node", id);
        return bundle.file("index.js", """
                'use strict';
                const held = [];
                module.exports = {
                  activate() {}, deactivate() {},
                  execute(action, ctx) {
                    const p = action.payload || {};
                    if (action.type === 'print') { console.log(p.out); console.error(p.err); return { ok: true }; }
                    if (action.type === 'log') { ctx.log[p.level](p.message); return { ok: true }; }
                    if (action.type === 'alloc') {
                      for (let i = 0; i < p.mb; i++) held.push(Buffer.alloc(1024 * 1024, 1));
                      return { ok: true };
                    }
                    return p;
                  },
                };
                """);
    }

    @Test
    void shouldKeepTheLogsOfAnOomKilledPluginReadableAfterItFailed() throws InterruptedException {
        String id = installAndActivate(printing("logs-oom-node")
                .manifest(m -> m.with("resourceRequirements").put("maxMemoryMB", 48)));
        try {
            action(id, "{\"type\":\"print\",\"payload\":{\"out\":\"stdout before the fall\",\"err\":\"stderr too\"}}")
                    .statusCode(200);
            action(id, "{\"type\":\"log\",\"payload\":{\"level\":\"warn\",\"message\":\"ctx.log before the fall\"}}")
                    .statusCode(200);

            action(id, "{\"type\":\"alloc\",\"payload\":{\"mb\":200}}").statusCode(502);
            awaitState(id, "FAILED", 20).body("failureReason", is("oom")).body("containerId", is((Object) null));

            String logs = "";
            for (int i = 0; i < 100 && !logs.startsWith("[logomesh] last output"); i++) { // kept as the container goes
                logs = api().get("/api/v1/plugins/{id}/logs", id).then().statusCode(200).extract().asString();
                Thread.sleep(100);
            }
            assertThat(logs.lines().findFirst().orElseThrow())
                    .startsWith("[logomesh] last output of container ").contains("(oom)");
            assertThat(logs).contains("stdout before the fall").contains("stderr too");
            assertThat(logs).containsPattern("\\d{4}-\\d\\d-\\d\\dT[^ ]+Z \\[warn\\] ctx.log before the fall");
            assertThat(logs.indexOf("stdout before the fall")).isLessThan(logs.indexOf("ctx.log before the fall"));
        } finally {
            uninstallQuietly(id);
        }
        api().get("/api/v1/plugins/{id}/logs", id).then().statusCode(404);
    }

    @Test
    void shouldStreamNewLinesToAFollower() throws Exception {
        String id = installAndActivate(printing("logs-follow-node"));
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpRequest follow = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/plugins/" + id + "/logs?follow=true&tail=1"))
                    .header("Authorization", "Bearer " + HostTestResource.TOKEN)
                    .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).build();
            HttpResponse<java.io.InputStream> response = http.send(follow, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    StringBuilder all = new StringBuilder();
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        all.append(line).append('\n');
                        if (all.indexOf("followed ctx line") >= 0 && all.indexOf("followed stdout line") >= 0) {
                            return all.toString();
                        }
                    }
                    return all.toString();
                } catch (java.io.IOException e) {
                    return "read failed: " + e.getMessage();
                }
            });
            for (int i = 0; i < 50 && !seen.isDone(); i++) { // until the follower has attached and seen both
                action(id, "{\"type\":\"log\",\"payload\":{\"level\":\"info\",\"message\":\"followed ctx line\"}}");
                action(id, "{\"type\":\"print\",\"payload\":{\"out\":\"followed stdout line\",\"err\":\"e\"}}");
                Thread.sleep(200);
            }
            String events = seen.get(30, TimeUnit.SECONDS);
            assertThat(events).contains("data:").contains("[info] followed ctx line").contains("followed stdout line");
            response.body().close();
        } finally {
            uninstallQuietly(id);
        }
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + io.restassured.RestAssured.port;
    }
}
