package io.logomesh.host.plugin;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Concurrency inside one plugin, in real containers (PROTOCOL.md, "Python calling convention"): a
 * Node.js plugin serves many async actions at once; a Python plugin runs plain {@code def} calls in
 * its worker pool and {@code async def} ones on the event loop, so a slow call does not queue the
 * rest; plain calls that wait on each other through the host finish. Overlap is read from what the
 * plugin itself records (start and end of each call, how many were inside at once), not from the
 * wall clock of the test.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class PluginConcurrencyTest {

    @Test
    void shouldRunPlainDefCallsOfAPythonPluginAtTheSameTime() throws Exception {
        String id = installAndActivate(TestBundle.fixture("concurrency-python", "conc-py-plain"));
        try {
            List<JsonPath> runs = concurrently(id, 4, "{\"type\":\"sleep\",\"payload\":{\"ms\":1500}}");

            assertAllInFlightTogether(runs);
            assertThat(runs).allSatisfy(r -> assertThat(r.getString("thread")).startsWith("plugin"));
            assertThat(runs.stream().map(r -> r.getString("thread")).distinct()).hasSize(4);
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldRunAsyncDefCallsOfAPythonPluginOnTheEventLoopAtTheSameTime() throws Exception {
        String id = installAndActivate(TestBundle.fixture("concurrency-python-async", "conc-py-async"));
        try {
            List<JsonPath> runs = concurrently(id, 4, "{\"type\":\"sleep\",\"payload\":{\"ms\":1500}}");

            assertAllInFlightTogether(runs);
            assertThat(runs).allSatisfy(r -> assertThat(r.getString("thread")).isEqualTo("MainThread"));
        } finally {
            uninstallQuietly(id);
        }
    }

    /**
     * Twelve plain-def message handlers of one plugin, each blocked in {@code ctx.send_message} until
     * the next answers: more than the pool's default eight slots, so it finishes only because a call
     * waiting on the host gives its slot back (with one worker thread, as before, the first wait
     * never ended until the host's timeout).
     */
    @Test
    void shouldFinishPlainDefCallsThatWaitOnEachOtherThroughTheHost() {
        String id = "conc-py-chain";
        installAndActivate(TestBundle.fixture("concurrency-python", id)
                .manifest(m -> m.putArray("permissions").add("messaging:" + id)));
        try {
            action(id, "{\"type\":\"chain\",\"payload\":{\"depth\":12}}")
                    .statusCode(200).body("success", is(true)).body("result.depth", is(12));
        } finally {
            uninstallQuietly(id);
        }
    }

    /** Sixteen async actions, each waiting (up to 10 s) until all sixteen are inside the plugin together. */
    @Test
    void shouldServeManyAsyncActionsOfANodePluginAtOnce() throws Exception {
        String id = installAndActivate(TestBundle.fixture("concurrency-node", "conc-node"));
        try {
            List<JsonPath> runs = concurrently(id, 16, "{\"type\":\"gate\",\"payload\":{\"n\":16,\"ms\":10000}}");

            assertThat(runs).allSatisfy(r -> assertThat(r.getInt("peak")).isEqualTo(16));
        } finally {
            uninstallQuietly(id);
        }
    }

    /** Sends {@code n} copies of an action at once; returns each answer's {@code result}. */
    private static List<JsonPath> concurrently(String id, int n, String body) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(n);
        try {
            List<Future<JsonPath>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(callers.submit(() -> action(id, body).statusCode(200).body("success", is(true))
                        .extract().jsonPath().setRootPath("result")));
            }
            List<JsonPath> results = new ArrayList<>();
            for (Future<JsonPath> call : calls) {
                results.add(call.get());
            }
            return results;
        } finally {
            callers.shutdownNow();
        }
    }

    /** Every call started before any call ended: all were running inside the plugin together. */
    private static void assertAllInFlightTogether(List<JsonPath> runs) {
        double lastStart = runs.stream().mapToDouble(r -> r.getDouble("start")).max().orElseThrow();
        double firstEnd = runs.stream().mapToDouble(r -> r.getDouble("end")).min().orElseThrow();
        assertThat(lastStart).as("the last call started before the first one ended").isLessThan(firstEnd);
    }
}
