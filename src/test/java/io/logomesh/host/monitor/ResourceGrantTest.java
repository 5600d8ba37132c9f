package io.logomesh.host.monitor;

import com.github.dockerjava.api.model.HostConfig;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.support.Docker;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.awaitState;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Resource grants on real containers: applied live, taken back, and never beyond the host's budget (1024 MiB)
 * nor one plugin's share of it (50 % by default: 512 MiB).
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class ResourceGrantTest {

    private static final long MIB = 1024 * 1024;

    /** Answers grant refusals with their code instead of throwing, so the test sees {@code denied}. */
    private static final String GRANTS_JS = """
            'use strict';
            const held = [];
            const wrap = (p) => p.then((r) => ({ ok: true, r }), (e) => ({ ok: false, code: e.code, message: e.message }));
            module.exports = {
              activate() {}, deactivate() {},
              execute(action, ctx) {
                const p = action.payload || {};
                switch (action.type) {
                  case 'alloc': for (let i = 0; i < p.mb; i++) held.push(Buffer.alloc(1048576, 1)); return { heldMb: held.length };
                  case 'grant': return wrap(ctx.requestResource(p.type, p.amount));
                  case 'release': return wrap(ctx.releaseResource(p.grantId));
                  case 'usage': return ctx.getResourceUsage();
                  default: throw new Error('unknown ' + action.type);
                }
              },
            };
            """;

    @Inject
    AuditCapture audit;

    private static TestBundle plugin(String id, boolean permitted, int burstMemoryMB) {
        return TestBundle.fixture("echo-node", id).file("index.js", GRANTS_JS).manifest(m -> {
            m.with("resourceRequirements").put("maxMemoryMB", 64).put("maxCpuPercent", 50)
                    .put("maxExecutionTimeMs", 120_000).put("burstMemoryMB", burstMemoryMB).put("burstCpuPercent", 80);
            if (permitted) {
                m.putArray("permissions").add("resources:grant");
            }
        });
    }

    private static JsonPath grant(String id, String type, double amount) {
        return action(id, "{\"type\":\"grant\",\"payload\":{\"type\":\"" + type + "\",\"amount\":" + amount + "}}")
                .statusCode(200).body("success", is(true)).extract().jsonPath();
    }

    private static JsonPath release(String id, String grantId) {
        return action(id, "{\"type\":\"release\",\"payload\":{\"grantId\":\"" + grantId + "\"}}")
                .statusCode(200).body("success", is(true)).extract().jsonPath();
    }

    private static HostConfig limits(String id) {
        String cid = api().get("/api/v1/plugins/{id}", id).then().extract().path("containerId");
        return Docker.inspect(cid).getHostConfig();
    }

    /** The memory limit of the first sample that shows a change, waiting for the poller. */
    private static long kernelLimitReported(String id) {
        long limit = 0;
        for (int i = 0; i < 50 && limit != 192 * MIB; i++) {
            limit = api().get("/api/v1/plugins/{id}/usage", id).then().statusCode(200).extract().jsonPath()
                    .getLong("usage.memoryLimitBytes");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return limit;
    }

    @Test
    void shouldLetAGrantedAllocationSucceedReturnGrantsAndRefuseOverTheBudget() {
        String a = installAndActivate(plugin("mon-grant-a", true, 256));
        String b = installAndActivate(plugin("mon-grant-b", true, 2048));
        String c = installAndActivate(plugin("mon-grant-c", false, 256));
        String d = installAndActivate(plugin("mon-grant-d", true, 2048));
        try {
            // at its base limit a large allocation is OOM-killed (one only a little over it can thrash for long)
            action(a, "{\"type\":\"alloc\",\"payload\":{\"mb\":200}}");
            awaitState(a, "FAILED", 20).body("failureReason", is("oom"));
            activate(a).statusCode(200).body("state", is("ACTIVE"));

            // with 128 MiB more it succeeds; the container's limit was raised live (memory and swap together)
            JsonPath g = grant(a, "memory", 128);
            assertThat(g.getBoolean("result.ok")).isTrue();
            String grantId = g.getString("result.r.grantId");
            assertThat(g.getString("result.r.type")).isEqualTo("memory");
            assertThat(g.getDouble("result.r.amount")).isEqualTo(128.0);
            assertThat(limits(a).getMemory()).isEqualTo(192 * MIB);
            assertThat(limits(a).getMemorySwap()).isEqualTo(192 * MIB);
            action(a, "{\"type\":\"alloc\",\"payload\":{\"mb\":100}}").statusCode(200).body("success", is(true))
                    .body("result.heldMb", is(100));
            api().get("/api/v1/plugins/{id}/usage", a).then().statusCode(200)
                    .body("limits.maxMemoryMB", is(192)).body("grants[0].grantId", is(grantId));
            assertThat(kernelLimitReported(a)).isEqualTo(192 * MIB); // the next sample reads the new limit
            assertThat(grant(a, "cpu", 20).getBoolean("result.ok")).isTrue();
            assertThat(limits(a).getNanoCPUs()).as("raised live, in the form it was created with").isEqualTo(700_000_000L);

            // beyond the plugin's own ceiling, without the permission, or unknown: refused with a reason
            JsonPath overCeiling = grant(a, "memory", 100);
            assertThat(overCeiling.getString("result.code")).isEqualTo("denied");
            assertThat(overCeiling.getString("result.message")).contains("ceiling");
            JsonPath noPermission = grant(c, "memory", 10);
            assertThat(noPermission.getString("result.code")).isEqualTo("denied");
            assertThat(noPermission.getString("result.message")).contains("resources:grant");
            assertThat(grant(b, "disk", 10).getString("result.message")).contains("unknown resource type");

            // one plugin may hold at most half of the budget, however high its own ceiling
            JsonPath overShare = grant(b, "memory", 1000);
            assertThat(overShare.getString("result.code")).isEqualTo("denied");
            assertThat(overShare.getString("result.message")).contains("per-plugin share").contains("512 of 1024");
            String bGrant = grant(b, "memory", 512).getString("result.r.grantId");
            assertThat(grant(b, "memory", 1).getString("result.code")).isEqualTo("denied");
            assertThat(limits(b).getMemory()).isEqualTo(576 * MIB);

            // the host budget is 1024 MiB, 128 are lent to a and 512 to b: 384 left
            JsonPath overBudget = grant(d, "memory", 512);
            assertThat(overBudget.getString("result.code")).isEqualTo("denied");
            assertThat(overBudget.getString("result.message")).contains("budget is spent").contains("384 of 1024");
            assertThat(grant(d, "memory", 384).getBoolean("result.ok")).isTrue();
            assertThat(grant(d, "memory", 1).getString("result.message")).contains("budget is spent");

            // release gives it back: the limit drops again and the budget has room once more
            assertThat(release(b, bGrant).getBoolean("result.ok")).isTrue();
            assertThat(limits(b).getMemory()).isEqualTo(64 * MIB);
            assertThat(release(b, bGrant).getString("result.code")).isEqualTo("denied");
            String again = grant(b, "memory", 512).getString("result.r.grantId");
            assertThat(again).isNotBlank();

            // deactivating a takes its grants back into the budget
            assertThat(grant(d, "memory", 128).getString("result.message")).contains("budget is spent");
            deactivate(a).statusCode(200);
            assertThat(grant(d, "memory", 128).getBoolean("result.ok")).isTrue();

            assertThat(audit.of(a, "grant")).extracting(AuditEvent::outcome)
                    .contains("granted", "denied", "released");
            assertThat(audit.of(b, "grant")).filteredOn(e -> e.outcome().equals("denied"))
                    .anySatisfy(e -> assertThat(e.detail("reason").asText()).contains("per-plugin share"));
            assertThat(audit.of(d, "grant")).filteredOn(e -> e.outcome().equals("denied"))
                    .anySatisfy(e -> assertThat(e.detail("reason").asText()).contains("budget is spent"));
            // a plugin reads its own report, grants included
            action(b, "{\"type\":\"usage\"}").statusCode(200).body("result.limits.maxMemoryMB", is(64 + 512))
                    .body("result.grants[0].amount", org.hamcrest.Matchers.comparesEqualTo(512));
        } finally {
            uninstallQuietly(a);
            uninstallQuietly(b);
            uninstallQuietly(c);
            uninstallQuietly(d);
        }
        api().get("/api/v1/plugins/{id}/usage", a).then().statusCode(404).body("message", containsString(a));
    }
}
