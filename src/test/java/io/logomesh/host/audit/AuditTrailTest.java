package io.logomesh.host.audit;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstall;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** The audit trail of a real host with real plugin containers, read back through REST. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class AuditTrailTest {

    private static List<Map<String, Object>> records(String query) {
        return api().get("/api/v1/audit?limit=1000&" + query).then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static Path auditFile() {
        return Path.of(ConfigProvider.getConfig().getValue("logomesh.data-dir", String.class), "audit", "audit.log");
    }

    @Test
    void shouldRecordLifecycleActionsAndOperatorCallsAndVerify() throws IOException {
        String id = "aud-trail-node";
        install(TestBundle.fixture("echo-node", id).tarGz()).statusCode(201);
        activate(id).statusCode(200);
        action(id, "{\"type\":\"echo\",\"payload\":{\"secret\":\"s3cr3t-payload\"}}").statusCode(200);
        action(id, "{\"type\":\"fail\",\"payload\":{\"msg\":\"x\"}}").statusCode(200);
        deactivate(id).statusCode(200);

        List<Map<String, Object>> lifecycle = records("pluginId=" + id + "&type=lifecycle");
        assertThat(lifecycle).extracting(r -> detail(r, "to"))
                .containsExactly("STARTING", "ACTIVE", "STOPPING", "INACTIVE");
        assertThat(lifecycle).allSatisfy(r -> assertThat(r.get("actor")).isEqualTo("token:initial"));

        List<Map<String, Object>> actions = records("pluginId=" + id + "&type=action");
        assertThat(actions).extracting(r -> r.get("outcome")).containsExactly("ok", "plugin_error");
        Map<?, ?> echo = (Map<?, ?>) actions.get(0).get("details");
        assertThat(echo.get("actionType")).isEqualTo("echo");
        assertThat(echo.get("durationMs")).isNotNull();
        assertThat(echo.containsKey("payloadBytes")).as("basic level has no sizes").isFalse();
        assertThat(echo.containsKey("payloadSha256")).isFalse();

        List<Map<String, Object>> operator = records("pluginId=" + id + "&type=operator");
        assertThat(operator).extracting(r -> detail(r, "path"))
                .contains("/api/v1/plugins", "/api/v1/plugins/" + id + "/activate",
                        "/api/v1/plugins/" + id + "/deactivate")
                .as("an action that ran is recorded once, as an action, not again as an operator call")
                .doesNotContain("/api/v1/plugins/" + id + "/actions");
        assertThat(operator.get(0).get("outcome")).isEqualTo("ok");
        assertThat(((Map<?, ?>) operator.get(0).get("details")).get("method")).isEqualTo("POST");
        assertThat(((Map<?, ?>) operator.get(0).get("details")).get("status")).isEqualTo(201);

        api().get("/api/v1/audit/verify").then().statusCode(200).body("valid", is(true))
                .body("firstBroken", nullValue());
        String file = Files.readString(auditFile());
        assertThat(file).doesNotContain(HostTestResource.TOKEN).doesNotContain("s3cr3t-payload");

        activate(id).statusCode(200);
        uninstall(id).statusCode(204);
        assertThat(records("pluginId=" + id + "&type=lifecycle")).extracting(r -> detail(r, "to"))
                .endsWith("UNINSTALLED");
    }

    @Test
    void shouldRecordRefusedOperatorCallsAndUnavailableActions() {
        String id = "aud-refused";
        action(id, "{\"type\":\"echo\"}").statusCode(404);
        install(TestBundle.fixture("echo-python", id).tarGz()).statusCode(201);
        action(id, "{\"type\":\"echo\"}").statusCode(409);
        try {
            Map<String, Object> op = last(records("pluginId=" + id + "&type=operator"));
            assertThat(op.get("outcome")).isEqualTo("failed");
            assertThat(((Map<?, ?>) op.get("details")).get("status")).isEqualTo(409);
            assertThat(((Map<?, ?>) op.get("details")).get("error")).isEqualTo("illegal_transition");
            Map<String, Object> act = last(records("pluginId=" + id + "&type=action"));
            assertThat(act.get("outcome")).isEqualTo("unavailable");
        } finally {
            uninstallQuietly(id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldRecordAPluginsOwnEventsAsComingFromThePlugin(String fixture) {
        String id = installAndActivate(TestBundle.fixture(fixture, "aud-own-" + fixture.substring(5)));
        try {
            action(id, "{\"type\":\"audit\",\"payload\":{\"event\":{\"kind\":\"login\",\"user\":\"ann\"}}}")
                    .statusCode(200).body("result.recorded", is(true)).body("result.result", nullValue());
            Map<String, Object> own = last(records("pluginId=" + id + "&type=plugin"));
            assertThat(own.get("actor")).isEqualTo("plugin:" + id);
            assertThat(own.get("details")).isEqualTo(Map.of("kind", "login", "user", "ann"));

            String big = "x".repeat(9000);
            action(id, "{\"type\":\"audit\",\"payload\":{\"event\":{\"blob\":\"" + big + "\"}}}")
                    .statusCode(200).body("result.recorded", is(false)).body("result.code", is("too_large"));
            action(id, "{\"type\":\"audit\",\"payload\":{\"event\":\"not an object\"}}")
                    .statusCode(200).body("result.code", is("invalid_event"));
            assertThat(records("pluginId=" + id + "&type=plugin")).hasSize(1);

            // default bucket: 40 at once, refilled at 20/s; 200 calls in one go from inside the plugin
            JsonPath burst = action(id, "{\"type\":\"auditBurst\",\"payload\":{\"count\":200}}")
                    .statusCode(200).extract().jsonPath();
            int recorded = burst.getInt("result.recorded");
            assertThat(recorded).isGreaterThanOrEqualTo(40).isLessThan(200);
            assertThat(burst.getInt("result.refused.rate_limited")).isEqualTo(200 - recorded);
            assertThat(records("pluginId=" + id + "&type=plugin")).hasSize(1 + recorded);
            api().get("/api/v1/audit/verify").then().statusCode(200).body("valid", is(true));
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldAuditComprehensivelyWithHashesAndSizes() {
        String id = installAndActivate(TestBundle.fixture("echo-python", "aud-compr")
                .manifest(m -> m.put("auditLevel", "comprehensive")));
        try {
            action(id, "{\"type\":\"echo\",\"payload\":{\"a\":1}}").statusCode(200);
            Map<?, ?> d = (Map<?, ?>) last(records("pluginId=" + id + "&type=action")).get("details");
            assertThat(d.get("caller")).isEqualTo("token:initial");
            assertThat(d.get("payloadBytes")).isEqualTo(7);
            assertThat(d.get("resultBytes")).isEqualTo(7);
            String sha = AuditHashing.sha256Hex("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(d.get("payloadSha256")).isEqualTo(sha);
            assertThat(d.get("resultSha256")).isEqualTo(sha);
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldNameTheLineEditedOnDisk() throws IOException {
        String id = "aud-tamper";
        install(TestBundle.fixture("echo-node", id).tarGz()).statusCode(201);
        uninstall(id).statusCode(204);
        api().get("/api/v1/audit/verify").then().statusCode(200).body("valid", is(true));

        List<String> lines = Files.readAllLines(auditFile());
        int index = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"pluginId\":\"" + id + "\"") && lines.get(i).contains("\"UNINSTALLED\"")) {
                index = i;
            }
        }
        assertThat(index).isNotNegative();
        long offset = 0;
        for (int i = 0; i < index; i++) {
            offset += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
        }
        offset += lines.get(index).indexOf("UNINSTALLED");
        try (RandomAccessFile raf = new RandomAccessFile(auditFile().toFile(), "rw")) {
            raf.seek(offset);
            raf.write('X');
            try {
                api().get("/api/v1/audit/verify").then().statusCode(200).body("valid", is(false))
                        .body("firstBroken.file", is("audit.log")).body("firstBroken.line", is(index + 1))
                        .body("firstBroken.reason", org.hamcrest.Matchers.containsString("hash"));
            } finally {
                raf.seek(offset);
                raf.write('U');
            }
        }
        api().get("/api/v1/audit/verify").then().statusCode(200).body("valid", is(true));
    }

    @Test
    void shouldRecordAnUnauthenticatedMutatingCallButNoReads() {
        io.restassured.RestAssured.given().header("Authorization", "Bearer not-the-token")
                .post("/api/v1/plugins/aud-nobody/activate").then().statusCode(401);
        api().get("/api/v1/plugins/aud-nobody").then().statusCode(404);
        List<Map<String, Object>> calls = records("pluginId=aud-nobody");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).get("actor")).isEqualTo("unauthenticated");
        assertThat(calls.get(0).get("outcome")).isEqualTo("denied");
        assertThat(detail(calls.get(0), "status")).isEqualTo(401);
        assertThat(Files.exists(auditFile())).isTrue();
    }

    @Test
    void shouldSignTheHeadAndHoldTheTrailAgainstIt() {
        install(TestBundle.fixture("echo-node", "aud-head").tarGz()).statusCode(201);
        uninstall("aud-head").statusCode(204);
        String head = api().get("/api/v1/audit/head").then().statusCode(200)
                .body("algorithm", is("HmacSHA256")).extract().asString();
        JsonPath h = JsonPath.from(head);
        assertThat(h.getLong("records")).isPositive();
        assertThat(h.getString("signature")).matches("[0-9a-f]{64}");

        api().queryParam("anchor", head).get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", is(true)).body("anchor.result", is("matched"));
        String forged = head.replace("\"records\":" + h.getLong("records"), "\"records\":" + (h.getLong("records") + 1));
        api().queryParam("anchor", forged).get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", is(false)).body("anchor.result", is("bad_signature"));
        api().queryParam("anchor", "{not json").get("/api/v1/audit/verify").then().statusCode(400)
                .body("error", is("invalid_request"));
        api().queryParam("anchor", "{\"records\":1}").get("/api/v1/audit/verify").then().statusCode(400)
                .body("error", is("invalid_request"));
    }

    @Test
    void shouldRefuseMalformedQueries() {
        api().get("/api/v1/audit?since=yesterday").then().statusCode(400).body("error", is("invalid_request"));
        api().get("/api/v1/audit?until=2026-13-01T00:00:00Z").then().statusCode(400).body("error", is("invalid_request"));
        api().get("/api/v1/audit?limit=0").then().statusCode(400).body("error", is("invalid_request"));
        api().get("/api/v1/audit?limit=1001").then().statusCode(400).body("error", is("invalid_request"));
        api().get("/api/v1/audit?offset=-1").then().statusCode(400).body("error", is("invalid_request"));
        api().get("/api/v1/audit?limit=abc").then().statusCode(400).body("error", is("invalid_request"));
        api().get("/api/v1/audit?limit=2&since=2000-01-01T00:00:00Z").then().statusCode(200);
    }

    private static Object detail(Map<String, Object> record, String key) {
        return ((Map<?, ?>) record.get("details")).get(key);
    }

    private static Map<String, Object> last(List<Map<String, Object>> list) {
        assertThat(list).isNotEmpty();
        return list.get(list.size() - 1);
    }
}
