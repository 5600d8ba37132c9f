package io.logomesh.host.permission;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.logomesh.host.support.Docker;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * One authority decides each permission: a permission an operator approves at run time works at its
 * next use ({@code resources:grant}), and one that cannot take effect in a running container
 * ({@code filesystem}) is refused when the plugin asks, with the reason. Real containers.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class RunTimeApprovalTest {

    private static final long MIB = 1024 * 1024;

    /** Answers refusals with their code instead of throwing, so the test sees them. */
    private static final String PLUGIN_JS = """
            'use strict';
            const wrap = (p) => Promise.resolve().then(() => p)
                .then((r) => ({ ok: true, r }), (e) => ({ ok: false, code: e.code, message: e.message }));
            module.exports = {
              activate() {}, deactivate() {},
              execute(action, ctx) {
                const p = action.payload || {};
                switch (action.type) {
                  case 'permission': return wrap(ctx.requestPermission(p.permission));
                  case 'grant': return wrap(ctx.requestResource(p.type, p.amount));
                  case 'release': return wrap(ctx.releaseResource(p.grantId));
                  default: throw new Error('unknown ' + action.type);
                }
              },
            };
            """;

    private static TestBundle plugin(String id) {
        return TestBundle.fixture("echo-node", id).file("index.js", PLUGIN_JS).manifest(m -> m.with("resourceRequirements")
                .put("maxMemoryMB", 64).put("maxCpuPercent", 50).put("maxExecutionTimeMs", 10_000)
                .put("burstMemoryMB", 128).put("burstCpuPercent", 80));
    }

    private static JsonPath call(String id, String type, String payloadJson) {
        return action(id, "{\"type\":\"" + type + "\",\"payload\":" + payloadJson + "}")
                .statusCode(200).body("success", is(true)).extract().jsonPath().setRootPath("result");
    }

    private static JsonPath grantMemory(String id, int mb) {
        return call(id, "grant", "{\"type\":\"memory\",\"amount\":" + mb + "}");
    }

    private static JsonPath ask(String id, String permission) {
        JsonPath r = call(id, "permission", "{\"permission\":\"" + permission + "\"}");
        assertThat(r.getBoolean("ok")).as("requestPermission answers: %s", r.prettify()).isTrue();
        return r.setRootPath("result.r");
    }

    private static InspectContainerResponse container(String id) {
        return Docker.inspect(get(id).statusCode(200).extract().path("containerId"));
    }

    @Test
    void shouldLetTheNextResourceRequestSucceedOnceAnOperatorApprovesResourcesGrant() {
        String id = installAndActivate(plugin("perm-rt-grant"));
        try {
            JsonPath before = grantMemory(id, 32);
            assertThat(before.getBoolean("ok")).isFalse();
            assertThat(before.getString("code")).isEqualTo("denied");
            assertThat(before.getString("message")).contains("resources:grant");

            JsonPath asked = ask(id, "resources:grant");
            assertThat(asked.getString("status")).isEqualTo("pending");
            String requestId = asked.getString("requestId");
            assertThat(grantMemory(id, 32).getBoolean("ok")).as("pending is not approved").isFalse();

            api().post("/api/v1/permission-requests/{rid}/approve", requestId).then().statusCode(200)
                    .body("status", is("granted"));
            JsonPath approved = grantMemory(id, 32);
            assertThat(approved.getBoolean("ok")).as("the next request after the approval: %s", approved.prettify())
                    .isTrue();
            assertThat(container(id).getHostConfig().getMemory()).as("applied live").isEqualTo(96 * MIB);
            assertThat(ask(id, "resources:grant").getString("status")).isEqualTo("granted");
            assertThat(call(id, "release", "{\"grantId\":\"" + approved.getString("r.grantId") + "\"}")
                    .getBoolean("ok")).isTrue();

            api().post("/api/v1/permission-requests/{rid}/deny", requestId).then().statusCode(200)
                    .body("status", is("denied"));
            JsonPath revoked = grantMemory(id, 32);
            assertThat(revoked.getBoolean("ok")).as("refused again once the approval is revoked").isFalse();
            assertThat(revoked.getString("message")).contains("resources:grant");
            assertThat(container(id).getHostConfig().getMemory()).isEqualTo(64 * MIB);
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldRefuseFilesystemWhenAskedBecauseDataIsMountedOnlyWhenTheContainerIsCreated() {
        String id = installAndActivate(plugin("perm-rt-fs"));
        try {
            JsonPath asked = ask(id, "filesystem");
            assertThat(asked.getString("status")).as("decided at once, no operator asked").isEqualTo("denied");
            assertThat(asked.getString("reason")).contains("running plugin").contains("/data")
                    .contains("declare it in the manifest");
            api().get("/api/v1/permission-requests?status=pending").then().statusCode(200)
                    .body("pluginId", not(hasItem(id)));
            assertThat(ask(id, "filesystem").getString("status")).as("asking again changes nothing")
                    .isEqualTo("denied");
            List<String> mounts = container(id).getMounts().stream().map(m -> m.getDestination().getPath()).toList();
            assertThat(mounts).as("mounts of the running container").doesNotContain("/data");
        } finally {
            uninstallQuietly(id);
        }
    }
}
