package io.logomesh.host.upgrade;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/** Upgrades in place, on real containers through the real REST API. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class PluginUpgradeTest {

    private static final String ID = "upg-steady";
    private static final String BASE = "upg-base";
    private static final String DEPENDENT = "upg-dependent";

    /** A plugin that answers with its version after a short pause, and keeps a file in /data. */
    static String code(String version, boolean failActivate) {
        return """
                'use strict';
                const fs = require('node:fs');
                module.exports = {
                  activate() { if (%s) throw new Error('version %s refuses to activate'); },
                  deactivate() {},
                  async execute(action) {
                    if (action.type === 'write') { fs.writeFileSync('/data/kept', action.payload); return true; }
                    if (action.type === 'read') return fs.readFileSync('/data/kept', 'utf8');
                    await new Promise((r) => setTimeout(r, 30));
                    return { version: '%s' };
                  },
                };
                """.formatted(failActivate, version, version);
    }

    static TestBundle version(String id, String version, boolean failActivate) {
        return TestBundle.fixture("echo-node", id).file("index.js", code(version, failActivate))
                .manifest(m -> {
                    m.put("version", version);
                    m.with("resourceRequirements").put("fileSystemAccess", true).put("maxExecutionTimeMs", 5000);
                });
    }

    static Response upgrade(String id, TestBundle bundle) {
        return api().contentType("application/gzip").body(bundle.tarGz()).put("/api/v1/plugins/{id}", id);
    }

    @AfterEach
    void cleanUp() {
        uninstallQuietly(DEPENDENT);
        uninstallQuietly(BASE);
        uninstallQuietly(ID);
    }

    @Test
    void shouldUpgradeAnActivePluginUnderASteadyStreamOfActionsWithoutLosingOne() throws Exception {
        install(version(ID, "1.0.0", false).tarGz()).statusCode(201);
        activate(ID).statusCode(200);
        action(ID, "{\"type\":\"write\",\"payload\":\"kept across versions\"}").statusCode(200);
        String before = get(ID).extract().path("containerId");

        AtomicBoolean stop = new AtomicBoolean();
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    Response r = api().contentType(ContentType.JSON).body("{\"type\":\"work\"}")
                            .post("/api/v1/plugins/{id}/actions", ID);
                    outcomes.add(r.statusCode() == 200 && Boolean.TRUE.equals(r.path("success"))
                            ? "ok:" + r.path("result.version") : "lost:" + r.statusCode() + " " + r.asString());
                }
            }));
        }
        while (outcomes.size() < 20) {
            Thread.sleep(20);
        }
        Response up = upgrade(ID, version(ID, "2.0.0", false));
        assertThat(up.statusCode()).as(up.asString()).isEqualTo(200);
        int atSwitch = outcomes.size();
        while (outcomes.size() < atSwitch + 20) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Thread t : callers) {
            t.join();
        }

        assertThat(outcomes).allMatch(o -> o.startsWith("ok:"));
        assertThat(outcomes).contains("ok:1.0.0", "ok:2.0.0");
        assertThat(outcomes.get(outcomes.size() - 1)).isEqualTo("ok:2.0.0");
        get(ID).body("state", is("ACTIVE")).body("version", is("2.0.0"));
        assertThat(get(ID).extract().<String>path("containerId")).isNotEqualTo(before);
        action(ID, "{\"type\":\"read\"}").statusCode(200).body("result", is("kept across versions"));
        api().get("/api/v1/audit?pluginId={id}&type=upgrade", ID).then().statusCode(200)
                .body("details.from", hasItem("1.0.0")).body("details.to", hasItem("2.0.0"));
    }

    @Test
    void shouldKeepTheOldVersionServingWhenTheNewOneFailsToActivate() {
        install(version(ID, "1.0.0", false).tarGz()).statusCode(201);
        activate(ID).statusCode(200);
        String before = get(ID).extract().path("containerId");

        upgrade(ID, version(ID, "2.0.0", true)).then().statusCode(409)
                .body("error", is("upgrade_failed"))
                .body("message", containsString("version 2.0.0 refuses to activate"))
                .body("message", containsString("1.0.0 keeps serving"));

        get(ID).body("state", is("ACTIVE")).body("version", is("1.0.0")).body("containerId", is(before));
        action(ID, "{\"type\":\"work\"}").statusCode(200).body("result.version", is("1.0.0"));
        api().get("/api/v1/audit?pluginId={id}&type=upgrade", ID).then().statusCode(200)
                .body("outcome", hasItem("failed"));
        // the container kept its name: a later upgrade (and anyone looking by name) still finds it
        upgrade(ID, version(ID, "2.0.1", false)).then().statusCode(200).body("version", is("2.0.1"));
        action(ID, "{\"type\":\"work\"}").statusCode(200).body("result.version", is("2.0.1"));
    }

    @Test
    void shouldRollBackToThePreviousVersionAndForwardAgain() {
        install(version(ID, "1.0.0", false).tarGz()).statusCode(201);
        api().post("/api/v1/plugins/{id}/rollback", ID).then().statusCode(409).body("error", is("no_previous_version"));
        activate(ID).statusCode(200);
        upgrade(ID, version(ID, "2.0.0", false)).then().statusCode(200);

        api().post("/api/v1/plugins/{id}/rollback", ID).then().statusCode(200)
                .body("version", is("1.0.0")).body("state", is("ACTIVE"));
        action(ID, "{\"type\":\"work\"}").statusCode(200).body("result.version", is("1.0.0"));
        api().post("/api/v1/plugins/{id}/rollback", ID).then().statusCode(200).body("version", is("2.0.0"));
        action(ID, "{\"type\":\"work\"}").statusCode(200).body("result.version", is("2.0.0"));
        api().get("/api/v1/audit?pluginId={id}&type=upgrade", ID).then().statusCode(200)
                .body("details.rollback", hasItem(true));
    }

    private static final String GRANTS_JS = """
            'use strict';
            const wrap = (p) => Promise.resolve().then(() => p)
                .then((r) => ({ ok: true, r }), (e) => ({ ok: false, code: e.code, message: e.message }));
            module.exports = {
              activate() {}, deactivate() {},
              execute(action, ctx) {
                if (action.type === 'permission') return wrap(ctx.requestPermission('resources:grant'));
                if (action.type === 'grant') return wrap(ctx.requestResource('memory', 32));
                return { version: '%s' };
              },
            };
            """;

    private static TestBundle granting(String version) {
        return TestBundle.fixture("echo-node", ID).file("index.js", GRANTS_JS.formatted(version)).manifest(m -> {
            m.put("version", version);
            m.with("resourceRequirements").put("maxMemoryMB", 64).put("burstMemoryMB", 128)
                    .put("maxExecutionTimeMs", 10_000);
        });
    }

    @Test
    void shouldKeepRunTimeApprovalsAndResourceGrantsAcrossAnUpgrade() {
        install(granting("1.0.0").tarGz()).statusCode(201);
        activate(ID).statusCode(200);
        String requestId = action(ID, "{\"type\":\"permission\"}").statusCode(200).extract().path("result.r.requestId");
        api().post("/api/v1/permission-requests/{rid}/approve", requestId).then().statusCode(200);
        action(ID, "{\"type\":\"grant\"}").statusCode(200).body("result.ok", is(true));
        get(ID).body("containerId", org.hamcrest.Matchers.notNullValue());

        upgrade(ID, granting("2.0.0")).then().statusCode(200);

        String container = get(ID).extract().path("containerId");
        assertThat(io.logomesh.host.support.Docker.inspect(container).getHostConfig().getMemory())
                .as("the grant's memory applied to the new container").isEqualTo(96L * 1024 * 1024);
        action(ID, "{\"type\":\"grant\"}").statusCode(200).body("result.ok", is(true));
        api().get("/api/v1/permission-requests?status=granted").then().statusCode(200).body("id", hasItem(requestId));
    }

    @Test
    void shouldUpgradeAnInactivePluginByItsFilesAlone() {
        install(version(ID, "1.0.0", false).tarGz()).statusCode(201);
        upgrade(ID, version(ID, "1.1.0", false)).then().statusCode(200)
                .body("version", is("1.1.0")).body("state", is("INSTALLED"));
        activate(ID).statusCode(200);
        action(ID, "{\"type\":\"work\"}").statusCode(200).body("result.version", is("1.1.0"));
    }

    @Test
    void shouldRefuseAnUpgradeThatInstalledDependentsRangesWouldNoLongerMatch() {
        install(version(BASE, "1.0.0", false).tarGz()).statusCode(201);
        install(version(DEPENDENT, "1.0.0", false)
                .manifest(m -> m.putArray("dependencies").addObject().put("id", BASE).put("version", "^1.0.0"))
                .tarGz()).statusCode(201);

        upgrade(BASE, version(BASE, "2.0.0", false)).then().statusCode(409)
                .body("error", is("dependents_incompatible"))
                .body("message", containsString(DEPENDENT)).body("message", containsString("^1.0.0"));
        get(BASE).body("version", is("1.0.0"));
        upgrade(BASE, version(BASE, "1.4.0", false)).then().statusCode(200).body("version", is("1.4.0"));
    }

    @Test
    void shouldRefuseABundleOfAnotherIdOrAnInvalidOne() {
        install(version(ID, "1.0.0", false).tarGz()).statusCode(201);
        upgrade(ID, version("upg-other", "2.0.0", false)).then().statusCode(400)
                .body("error", is("plugin_id_mismatch")).body("message", containsString("upg-other"));
        upgrade(ID, version(ID, "2.0.0", false).manifest(m -> m.put("runtime", "cobol"))).then().statusCode(400)
                .body("error", is("manifest_invalid"));
        api().contentType("application/gzip").body(version("upg-none", "1.0.0", false).tarGz())
                .put("/api/v1/plugins/{id}", "upg-none").then().statusCode(404);
        get(ID).body("version", is("1.0.0"));
    }
}
