package io.logomesh.host.plugin;

import com.github.dockerjava.api.model.Container;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.logomesh.host.support.Api.awaitState;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.logomesh.host.support.Docker.containersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A plugin that spins for ever in an action, with three 900 KB actions queued behind it (so it stops
 * reading its socket): it is killed, not asked to shut down, and deactivate and uninstall still answer.
 * Every HTTP call has a generous client timeout (30 s): one that never answers fails the test.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class StalledPluginTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final String BIG = "x".repeat(900_000);

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldKillASpinningPluginThatOverranAndAnswerItsQueuedActions() throws Exception {
        String id = installAndActivate(TestBundle.fixture("echo-node", "stall-overrun"));
        try {
            String oldContainer = onlyContainer(id);

            List<CompletableFuture<HttpResponse<String>>> calls = spinWithBigActionsQueued(id);

            assertThat(status(calls.getFirst())).isEqualTo(504);
            for (CompletableFuture<HttpResponse<String>> queued : calls.subList(1, calls.size())) {
                assertThat(status(queued)).as("a queued action is answered, not left hanging").isIn(502, 503, 504);
            }
            awaitState(id, "ACTIVE", 20);
            assertThat(containersOf(id)).extracting(Container::getId).doesNotContain(oldContainer).hasSize(1);
            assertThat(send("POST", "/api/v1/plugins/" + id + "/deactivate").statusCode()).isEqualTo(200);
            assertThat(send("DELETE", "/api/v1/plugins/" + id).statusCode()).isEqualTo(204);
            assertThat(containersOf(id)).isEmpty();
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldDeactivateAndUninstallAPluginThatSpinsForEverWithoutReading() throws Exception {
        String id = installAndActivate(TestBundle.fixture("echo-node", "stall-deactivate")
                .manifest(m -> m.with("resourceRequirements").put("maxExecutionTimeMs", 120_000)));
        try {
            String oldContainer = onlyContainer(id);
            List<CompletableFuture<HttpResponse<String>>> calls = spinWithBigActionsQueued(id);

            HttpResponse<String> deactivated = send("POST", "/api/v1/plugins/" + id + "/deactivate");

            assertThat(deactivated.statusCode()).isEqualTo(200);
            assertThat(deactivated.body()).contains("\"state\":\"INACTIVE\"");
            assertThat(containersOf(id)).extracting(Container::getId).doesNotContain(oldContainer).isEmpty();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                // answered: failed with the container, or refused (409) if it reached the host after STOPPING
                assertThat(status(call)).as("an action of the stopped plugin is answered").isIn(409, 502, 503, 504);
            }
            assertThat(send("DELETE", "/api/v1/plugins/" + id).statusCode()).isEqualTo(204);
            get(id).statusCode(404).body("error", is("plugin_not_found"));
        } finally {
            uninstallQuietly(id);
        }
    }

    /** Starts {@code spin}, then, once it runs, three 900 KB echo actions; returns their pending answers. */
    private List<CompletableFuture<HttpResponse<String>>> spinWithBigActionsQueued(String id) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        calls.add(action(id, "{\"type\":\"spin\"}"));
        Thread.sleep(300); // let the spin reach the plugin first
        for (int i = 0; i < 3; i++) {
            calls.add(action(id, "{\"type\":\"echo\",\"payload\":{\"blob\":\"" + BIG + "\"}}"));
        }
        Thread.sleep(300); // and the big ones reach the host's outbox
        return calls;
    }

    private String onlyContainer(String id) {
        List<Container> containers = containersOf(id);
        assertThat(containers).hasSize(1);
        return containers.getFirst().getId();
    }

    private CompletableFuture<HttpResponse<String>> action(String id, String json) {
        return http.sendAsync(request("POST", "/api/v1/plugins/" + id + "/actions", json),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(request(method, path, null), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .timeout(CLIENT_TIMEOUT)
                .header("Authorization", "Bearer " + HostTestResource.TOKEN);
        if (json == null) {
            return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static int status(CompletableFuture<HttpResponse<String>> call) throws Exception {
        return call.get(CLIENT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS).statusCode();
    }
}
