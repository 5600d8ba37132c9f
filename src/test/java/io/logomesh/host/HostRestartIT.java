package io.logomesh.host;

import io.logomesh.host.support.Docker;
import io.logomesh.host.support.TestBundle;
import io.logomesh.host.volume.DataVolumes;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.logomesh.host.support.Docker.containersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Runs the packaged service as a real process, stops or kills it, and starts it again
 * on the same data folder: installed plugins come back, ACTIVE ones run again, and
 * containers left by a crash are removed.
 */
class HostRestartIT {

    private static final String TOKEN = "restart-test-token";

    @TempDir
    Path data;

    private Process host;
    private String token = TOKEN;
    private int port;

    @AfterEach
    void stopHost() throws InterruptedException {
        if (host != null && host.isAlive()) {
            host.destroy();
            host.waitFor(30, TimeUnit.SECONDS);
        }
        for (String id : List.of("again-node", "again-python", "crash-node")) {
            containersOf(id).forEach(c -> Docker.client().removeContainerCmd(c.getId()).withForce(true).exec());
        }
        DataVolumes.unmountBelow(data); // only if a test failed half-way
    }

    /** Echo, plus {@code write}/{@code read} of {@code /data/kept}. */
    private static final String KEEPER = """
            const fs = require('node:fs');
            module.exports = { activate() {}, deactivate() {}, execute(action) {
              if (action.type === 'write') { fs.writeFileSync('/data/kept', action.payload); return true; }
              if (action.type === 'read') return fs.readFileSync('/data/kept', 'utf8');
              return action.payload; } };
            """;

    private static TestBundle keeper(String id) {
        return TestBundle.fixture("echo-node", id).file("index.js", KEEPER)
                .manifest(m -> m.with("resourceRequirements").put("fileSystemAccess", true));
    }

    private List<String> mountsBelowData() throws IOException {
        String root = data.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(" " + root + "/")).toList();
    }

    @Test
    void shouldListInstalledPluginsAndActivateAgainWhatWasActiveAfterARestart() throws Exception {
        startHost();
        install(keeper("again-node").tarGz());
        install(TestBundle.fixture("echo-python", "again-python").tarGz());
        api().post("/api/v1/plugins/again-node/activate").then().statusCode(200);
        assertThat(mountsBelowData()).as("again-node's /data is mounted").hasSize(1);

        host.destroy();
        assertThat(host.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(containersOf("again-node")).as("a stopping host stops its containers").isEmpty();
        assertThat(mountsBelowData()).as("and unmounts their data folders").isEmpty();

        startHost();
        awaitState("again-node", "ACTIVE");
        api().get("/api/v1/plugins/again-python").then().body("state", is("INSTALLED"));
        api().contentType("application/json").body("{\"type\":\"echo\",\"payload\":1}")
                .post("/api/v1/plugins/again-node/actions").then().statusCode(200).body("result", is(1));

        // the audit trail continued across the restart, and the reactivation is the host's doing
        api().get("/api/v1/audit/verify").then().statusCode(200).body("valid", is(true));
        List<Map<String, Object>> lifecycle = api().get("/api/v1/audit?type=lifecycle&pluginId=again-node")
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> last = lifecycle.get(lifecycle.size() - 1);
        assertThat(((Map<?, ?>) last.get("details")).get("to")).isEqualTo("ACTIVE");
        assertThat(last.get("actor")).isEqualTo("host");
        assertThat(lifecycle.get(0).get("actor")).isEqualTo("token:initial");
    }

    @Test
    void shouldRemoveContainersLeftByACrashedHost() throws Exception {
        startHost();
        install(keeper("crash-node").tarGz());
        api().post("/api/v1/plugins/crash-node/activate").then().statusCode(200);
        String orphan = api().get("/api/v1/plugins/crash-node").then().extract().path("containerId");
        api().contentType("application/json").body("{\"type\":\"write\",\"payload\":\"before the crash\"}")
                .post("/api/v1/plugins/crash-node/actions").then().statusCode(200);

        host.destroyForcibly();
        assertThat(host.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(containersOf("crash-node")).extracting(c -> c.getId()).containsExactly(orphan);

        startHost();
        awaitState("crash-node", "ACTIVE");
        assertThat(containersOf("crash-node")).extracting(c -> c.getId()).doesNotContain(orphan).hasSize(1);
        // the /data mount the killed host left behind is taken over as it is, data included
        assertThat(mountsBelowData()).hasSize(1);
        api().contentType("application/json").body("{\"type\":\"read\"}")
                .post("/api/v1/plugins/crash-node/actions").then().statusCode(200).body("result", is("before the crash"));
        api().post("/api/v1/plugins/crash-node/deactivate").then().statusCode(200);
        api().delete("/api/v1/plugins/crash-node").then().statusCode(204);
        assertThat(containersOf("crash-node")).isEmpty();
        assertThat(mountsBelowData()).as("uninstall unmounts").isEmpty();
    }

    @Test
    void shouldWriteAGeneratedTokenAtStartBeforeAnyCall() throws Exception {
        token = null;
        startHost();

        Path file = data.resolve("d/api-token");
        assertThat(file).exists();
        String generated = Files.readString(file).strip();
        assertThat(Files.readString(data.resolve("host.log"))).doesNotContain(generated).contains(file.toString());
        RestAssured.given().port(port).header("Authorization", "Bearer " + generated)
                .get("/api/v1/plugins").then().statusCode(200);
    }

    private void startHost() throws IOException, InterruptedException {
        if (port == 0) {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        }
        List<String> command = io.logomesh.host.support.PackagedHost.command();
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(data.toFile(), "host.log")));
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("LOGOMESH_DATA_DIR", data.resolve("d").toString());
        pb.environment().put("LOGOMESH_PLUGINS_DIR", data.resolve("none").toString());
        pb.environment().remove("LOGOMESH_API_TOKEN");
        if (token != null) {
            pb.environment().put("LOGOMESH_API_TOKEN", token);
        }
        host = pb.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (RestAssured.given().port(port).get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) { // RestAssured throws ConnectException sneakily
                // not listening yet
            }
            assertThat(host.isAlive()).as("host process exited; see " + data.resolve("host.log")).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("host did not become ready; see " + data.resolve("host.log"));
    }

    private RequestSpecification api() {
        return RestAssured.given().port(port).header("Authorization", "Bearer " + TOKEN);
    }

    private void install(byte[] bundle) {
        api().contentType("application/gzip").body(bundle).post("/api/v1/plugins").then().statusCode(201);
    }

    private void awaitState(String id, String state) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        String now = null;
        while (System.currentTimeMillis() < deadline) {
            now = api().get("/api/v1/plugins/{id}", id).then().extract().path("state");
            if (state.equals(now)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(id + " is " + now + ", not " + state);
    }
}
