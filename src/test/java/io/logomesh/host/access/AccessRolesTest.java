package io.logomesh.host.access;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.logomesh.host.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Each role against each endpoint class, through the real REST API: the expected answer is computed from the
 * least role each call needs (2xx/4xx of the call itself when allowed, 403 when the role may not, 401 without a
 * valid token), and every refusal is the JSON error body.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class AccessRolesTest {

    /** A caller token names this plugin; none is installed, so an allowed action call is 404. */
    private static final String SCOPED = "scoped-plugin";

    /** One endpoint class: a representative call, the least role it needs and its answer when allowed. */
    private record Call(String endpointClass, String method, String path, String body, String least, int allowed) {
    }

    private static final List<Call> CALLS = List.of(
            new Call("read plugins", "GET", "/api/v1/plugins", null, Role.VIEWER_NAME, 200),
            new Call("read one plugin", "GET", "/api/v1/plugins/nope", null, Role.VIEWER_NAME, 404),
            new Call("read logs", "GET", "/api/v1/plugins/nope/logs", null, Role.VIEWER_NAME, 404),
            new Call("read usage", "GET", "/api/v1/plugins/nope/usage", null, Role.VIEWER_NAME, 404),
            new Call("read alerts", "GET", "/api/v1/alerts", null, Role.VIEWER_NAME, 200),
            new Call("read audit", "GET", "/api/v1/audit", null, Role.VIEWER_NAME, 200),
            new Call("read permission requests", "GET", "/api/v1/permission-requests", null, Role.VIEWER_NAME, 200),
            new Call("read system", "GET", "/api/v1/system", null, Role.VIEWER_NAME, 200),
            new Call("read schema", "GET", "/api/v1/schema/manifest", null, Role.VIEWER_NAME, 200),
            new Call("install", "POST", "/api/v1/plugins", "", Role.OPERATOR_NAME, 400),
            new Call("lifecycle", "POST", "/api/v1/plugins/nope/activate", null, Role.OPERATOR_NAME, 404),
            new Call("uninstall", "DELETE", "/api/v1/plugins/nope", null, Role.OPERATOR_NAME, 404),
            new Call("approve", "POST", "/api/v1/permission-requests/nope/approve", null, Role.OPERATOR_NAME, 404),
            new Call("acknowledge alert", "POST", "/api/v1/plugins/nope/alerts/a1/ack", null, Role.OPERATOR_NAME, 404),
            new Call("run action (named plugin)", "POST", "/api/v1/plugins/" + SCOPED + "/actions",
                    "{\"type\":\"echo\"}", Role.CALLER_NAME, 404),
            new Call("run action (other plugin)", "POST", "/api/v1/plugins/other/actions",
                    "{\"type\":\"echo\"}", "operator-not-caller", 404),
            new Call("read egress", "GET", "/api/v1/plugins/nope/egress", null, Role.VIEWER_NAME, 404),
            new Call("read config", "GET", "/api/v1/plugins/nope/config", null, Role.VIEWER_NAME, 404),
            new Call("read secret names", "GET", "/api/v1/plugins/nope/secrets", null, Role.VIEWER_NAME, 404),
            new Call("write config", "PUT", "/api/v1/plugins/nope/config", "{}", Role.OPERATOR_NAME, 404),
            new Call("write secret", "PUT", "/api/v1/plugins/nope/secrets/k", "{\"value\":\"v\"}", Role.OPERATOR_NAME, 404),
            new Call("delete secret", "DELETE", "/api/v1/plugins/nope/secrets/k", null, Role.OPERATOR_NAME, 404),
            new Call("rollback", "POST", "/api/v1/plugins/nope/rollback", null, Role.OPERATOR_NAME, 404),
            new Call("list tokens", "GET", "/api/v1/tokens", null, Role.ADMIN_NAME, 200),
            new Call("create token", "POST", "/api/v1/tokens", "{\"role\":\"nobody\"}", Role.ADMIN_NAME, 400),
            new Call("revoke token", "DELETE", "/api/v1/tokens/tok_nope", null, Role.ADMIN_NAME, 404),
            new Call("metrics", "GET", "/q/metrics", null, Role.METRICS_NAME, 200));

    @Inject
    DataFolder dataFolder;

    private final Map<String, String> tokens = new LinkedHashMap<>();

    @BeforeEach
    void createOneTokenPerRole() {
        tokens.put(Role.ADMIN_NAME, HostTestResource.TOKEN);
        for (String role : List.of(Role.OPERATOR_NAME, Role.VIEWER_NAME, Role.METRICS_NAME)) {
            tokens.put(role, create("{\"role\":\"" + role + "\",\"name\":\"table " + role + "\"}").getString("token"));
        }
        tokens.put(Role.CALLER_NAME, create("{\"role\":\"caller\",\"plugins\":[\"" + SCOPED + "\"]}").getString("token"));
        tokens.put("no token", null);
        tokens.put("bad token", "lm_not-a-token-anybody-issued");
    }

    @Test
    void shouldAnswerEachRoleOnEachEndpointClassAsTheTableSays() {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Call call : CALLS) {
            for (Map.Entry<String, String> who : tokens.entrySet()) {
                int expected = expected(call, who.getKey());
                Response r = send(call, who.getValue());
                checked++;
                if (r.statusCode() != expected) {
                    mismatches.add(call.endpointClass() + " as " + who.getKey() + ": " + r.statusCode()
                            + " (expected " + expected + ")");
                } else if (expected == 401 || expected == 403) {
                    String code = expected == 401 ? "unauthorized" : "forbidden";
                    String body = r.asString();
                    if (!body.contains("\"error\":\"" + code + "\"") || !body.contains("\"message\":")) {
                        mismatches.add(call.endpointClass() + " as " + who.getKey() + ": body " + r.asString());
                    }
                }
            }
        }
        assertThat(mismatches).as("answers differing from the role table").isEmpty();
        assertThat(checked).isEqualTo(CALLS.size() * tokens.size());
    }

    @Test
    void shouldShowATokenOnceStoreOnlyItsHashAndRefuseItOnceRevoked() throws IOException {
        JsonPath issued = create("{\"role\":\"viewer\",\"name\":\"once\"}");
        String token = issued.getString("token");
        String id = issued.getString("info.id");

        String listed = api().get("/api/v1/tokens").then().statusCode(200).extract().asString();
        Path data = dataFolder.root();
        String stored = Files.readString(data.resolve("api-tokens.json"));

        assertThat(token).startsWith("lm_").hasSizeGreaterThan(40);
        assertThat(listed).contains(id).doesNotContain(token).doesNotContain(HostTestResource.TOKEN);
        assertThat(stored).contains(id).doesNotContain(token);
        assertThat(Files.getPosixFilePermissions(data.resolve("api-tokens.json")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        RestAssured.given().header("Authorization", "Bearer " + token).get("/api/v1/plugins").then().statusCode(200);

        api().delete("/api/v1/tokens/{id}", id).then().statusCode(204);

        RestAssured.given().header("Authorization", "Bearer " + token).get("/api/v1/plugins").then().statusCode(401)
                .body("error", is("unauthorized"));
        api().delete("/api/v1/tokens/{id}", InitialToken.ID).then().statusCode(409)
                .body("error", is("token_not_revocable"));
    }

    @Test
    void shouldNameTheTokenIdInTheAuditTrailNeverTheToken() {
        JsonPath issued = create("{\"role\":\"operator\",\"name\":\"audited\"}");
        String token = issued.getString("token");
        String id = issued.getString("info.id");

        RestAssured.given().header("Authorization", "Bearer " + token).post("/api/v1/plugins/nope/activate")
                .then().statusCode(404);

        String trail = api().queryParam("limit", 1000).get("/api/v1/audit").then().statusCode(200).extract().asString();
        List<Map<String, Object>> mine = JsonPath.from(trail).getList("findAll { it.actor == 'token:" + id + "' }");
        assertThat(mine).isNotEmpty();
        assertThat(trail).doesNotContain(token).doesNotContain(HostTestResource.TOKEN);
    }

    private static int expected(Call call, String who) {
        if (who.equals("no token") || who.equals("bad token")) {
            return call.path().startsWith("/api/") || call.path().startsWith("/q/metrics") ? 401 : call.allowed();
        }
        boolean allowed = switch (call.least()) {
            case Role.ADMIN_NAME -> who.equals(Role.ADMIN_NAME);
            case Role.OPERATOR_NAME, "operator-not-caller" -> who.equals(Role.ADMIN_NAME) || who.equals(Role.OPERATOR_NAME);
            case Role.VIEWER_NAME -> List.of(Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.VIEWER_NAME).contains(who);
            case Role.CALLER_NAME -> List.of(Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.CALLER_NAME).contains(who);
            case Role.METRICS_NAME -> !who.equals(Role.CALLER_NAME);
            default -> throw new IllegalArgumentException(call.least());
        };
        return allowed ? call.allowed() : 403;
    }

    private static Response send(Call call, String token) {
        RequestSpecification request = RestAssured.given();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (call.path().equals("/api/v1/plugins") && call.method().equals("POST")) {
            request.contentType("application/gzip").body(new byte[] {1, 2, 3}); // not a bundle: 400 when allowed
        } else if (call.body() != null) {
            request.contentType(ContentType.JSON).body(call.body());
        }
        return request.request(call.method(), call.path());
    }

    private static JsonPath create(String body) {
        return api().contentType(ContentType.JSON).body(body).post("/api/v1/tokens").then().statusCode(201)
                .extract().jsonPath();
    }
}
