package io.logomesh.host.health;

import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/** Liveness and readiness as an orchestrator sees them: no token, JSON, named checks. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class HealthEndpointsTest {

    @Test
    void shouldBeAliveWithTheHeartbeatLoopReporting() {
        RestAssured.get("/q/health/live").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("host-loops"))
                .body("checks.find { it.name == 'host-loops' }.data.'" + HeartbeatLoop.NAME + "'",
                        matchesPattern("last beat \\d+ ms ago"));
    }

    @Test
    void shouldBeReadyWithTheEngineAddress() {
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'docker-engine' }.status", is("UP"))
                .body("checks.find { it.name == 'docker-engine' }.data.address", matchesPattern("\\w+://.+"));
    }

    @Test
    void shouldServePrometheusMetricsOnlyWithTheToken() {
        io.logomesh.host.support.Api.api().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jvm_threads_live_threads"));
        for (String path : new String[] {"/q/metrics", "/q/metrics/", "//q//metrics", "/q/./metrics", "/Q/METRICS"}) {
            io.restassured.response.Response r = RestAssured.get(path);
            assertThat(r.statusCode()).as(path).isIn(401, 404);
            assertThat(r.asString()).as(path).doesNotContain("jvm_threads_live_threads");
        }
        RestAssured.get("/q/metrics").then().statusCode(401).contentType("application/json")
                .body("error", is("unauthorized")).body("message", is("missing Authorization: Bearer <token> header"));
        RestAssured.given().header("Authorization", "Bearer wrong").get("/q/metrics").then().statusCode(401)
                .body("message", is("invalid bearer token"));
    }
}
