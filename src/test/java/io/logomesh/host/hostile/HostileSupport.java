package io.logomesh.host.hostile;

import io.logomesh.host.config.HostConfig;
import io.logomesh.host.support.TestBundle;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.awaitState;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.logomesh.host.support.Docker.containersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Shared by the hostile suites: installs a hostile bundle of this class's runtime, runs its attack
 * through the real host, and checks after every case that the host and a well-behaved neighbour
 * (an echo fixture of the same runtime, one per test class) are unharmed.
 */
abstract class HostileSupport {

    @Inject
    HostConfig config;

    private static final Map<String, String[]> NEIGHBOURS = new ConcurrentHashMap<>();
    private static final AtomicInteger ECHOES = new AtomicInteger();

    /** {@code node} or {@code python}: the suffix of the hostile bundle folders. */
    protected abstract String runtime();

    /** The neighbour's id: an echo fixture, installed once per test class. */
    protected String neighbour() {
        return neighbourEntry()[0];
    }

    private String[] neighbourEntry() {
        return NEIGHBOURS.computeIfAbsent(getClass().getSimpleName(), k -> {
            String id = "hx-nb-" + runtime() + "-" + Math.abs(k.hashCode() % 10000);
            uninstallQuietly(id); // the host removes it (like every plugin container) when it stops
            installAndActivate(TestBundle.fixture("echo-" + runtime(), id));
            return new String[] {id, get(id).extract().path("containerId")};
        });
    }

    /** Installs and activates {@code <caseName>-<runtime>} (the neighbour first), returning its id. */
    protected String install(String caseName) {
        neighbour();
        TestBundle bundle = TestBundle.hostile(caseName + "-" + runtime());
        uninstallQuietly(bundle.id());
        return installAndActivate(bundle);
    }

    /** Runs action {@code type} with a JSON payload on a plugin; returns the raw response. */
    protected static Response run(String id, String type, String payloadJson) {
        return api().contentType("application/json")
                .body("{\"type\":\"" + type + "\",\"payload\":" + payloadJson + "}")
                .post("/api/v1/plugins/{id}/actions", id);
    }

    /** Runs an action that must succeed; returns its {@code result}. */
    protected static JsonPath ok(String id, String type, String payloadJson) {
        Response r = run(id, type, payloadJson);
        assertThat(r.statusCode()).as("status of %s on %s: %s", type, id, r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("success")).as("success of %s: %s", type, r.asString()).isTrue();
        return r.jsonPath().setRootPath("result");
    }

    /** An echo round trip on {@code id}. */
    protected static void echo(String id) {
        awaitState(id, "ACTIVE", 20); // a container being replaced answers 503 restarting at once
        int n = ECHOES.incrementAndGet();
        action(id, "{\"type\":\"echo\",\"payload\":{\"n\":" + n + "}}")
                .statusCode(200).body("success", is(true)).body("result.n", is(n));
    }

    /**
     * The host answers its REST API and health check, and the neighbour is still ACTIVE in the
     * same container (nothing restarted it) and answers an echo.
     */
    protected void assertHostAndNeighbourHealthy() {
        String[] nb = neighbourEntry();
        api().get("/api/v1/plugins").then().statusCode(200);
        api().get("/q/health/live").then().statusCode(200);
        get(nb[0]).statusCode(200).body("state", is("ACTIVE")).body("containerId", is(nb[1]));
        echo(nb[0]);
    }

    /** Uninstalls a hostile plugin and checks that nothing of it is left on the engine. */
    /**
     * Uninstalls; a 409 "another operation is in progress" (the host still ending the plugin after what the case
     * did to it, e.g. an OOM kill landing after the action answered) is retried for up to 10 s.
     */
    protected static void remove(String id) {
        long deadline = System.currentTimeMillis() + 10_000;
        int status = api().delete("/api/v1/plugins/{id}", id).statusCode();
        while (status == 409 && System.currentTimeMillis() < deadline) {
            sleep(100);
            status = api().delete("/api/v1/plugins/{id}", id).statusCode();
        }
        assertThat(status).as("DELETE /api/v1/plugins/%s", id).isEqualTo(204);
        assertThat(containersOf(id)).isEmpty();
    }

    /** One case's body: it checks what it observed on the {@link Observation} and says how it was contained. */
    @FunctionalInterface
    protected interface CaseBody {
        void run(Observation o) throws Exception;
    }

    /**
     * Runs one hostile case and writes its row to the containment table from what it observed: {@code yes}
     * only when every check held and the case ran to its end; otherwise {@code no}, and then the case fails.
     */
    protected void contain(String caseName, CaseBody body) {
        Observation o = new Observation(runtime(), caseName);
        try {
            body.run(o);
        } catch (Exception | AssertionError e) {
            o.aborted(e);
        }
        ContainmentLog.record(o.row());
        o.assertContained();
    }

    /** {@link #assertHostAndNeighbourHealthy()}, then marks the case recovered. */
    protected void assertRecovered(Observation o) {
        assertHostAndNeighbourHealthy();
        o.recovered();
    }

    /** Polls until the plugin's state is {@code state} or {@code seconds} pass; returns the last snapshot. */
    protected static JsonPath awaitStateOrLast(String id, String state, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            JsonPath now = get(id).extract().jsonPath();
            if (state.equals(now.getString("state")) || System.currentTimeMillis() > deadline) {
                return now;
            }
            sleep(100);
        }
    }

    protected static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
