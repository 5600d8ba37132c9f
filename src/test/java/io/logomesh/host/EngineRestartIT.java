package io.logomesh.host;

import io.logomesh.host.support.TestBundle;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.hamcrest.Matchers.is;

/**
 * Stops and starts {@code dockerd} under a running host: every plugin that ran comes back by itself, in
 * dependency order, and {@code /q/health/ready} stays DOWN until it has. The engine is a private one made by
 * {@code deploy/test-engine.sh} (its own data root, socket and bridge; the runtime image copied in from the
 * machine's engine), never the machine's default engine, which other tests and containers use.
 */
class EngineRestartIT {

    private static final String TOKEN = "engine-restart-token";
    private static final String ENGINE = "engine-it";
    private static final Path SCRIPT = Path.of("deploy/test-engine.sh").toAbsolutePath();

    @TempDir
    static Path data;

    private static String dockerHost;
    private static Process host;
    private static int port;

    @BeforeAll
    static void startEngineAndHost() throws Exception {
        assumeThat(new com.sun.security.auth.module.UnixSystem().getUid()).as("test-engine.sh runs dockerd as root")
                .isZero();
        assumeThat(Path.of("/usr/bin/dockerd").toFile().canExecute() || Path.of("/usr/sbin/dockerd").toFile()
                .canExecute()).as("dockerd is installed").isTrue();
        String out = engine("start");
        dockerHost = out.lines().filter(l -> l.startsWith("DOCKER_HOST=")).findFirst().orElseThrow()
                .substring("DOCKER_HOST=".length());
        startHost();
    }

    @AfterAll
    static void stopHostAndEngine() throws Exception {
        if (host != null && host.isAlive()) {
            host.destroy();
            host.waitFor(30, TimeUnit.SECONDS);
        }
        if (dockerHost != null) {
            engine("clean");
        }
    }

    @Test
    void shouldBringEveryRunningPluginBackInDependencyOrderAfterTheEngineRestarts() throws Exception {
        install(TestBundle.fixture("echo-node", "eng-base").tarGz());
        install(TestBundle.fixture("echo-node", "eng-user").manifest(m -> m.putArray("dependencies").addObject()
                .put("id", "eng-base").put("version", "^1.0.0")).tarGz());
        install(TestBundle.fixture("echo-node", "eng-idle").tarGz());
        api().post("/api/v1/plugins/eng-base/activate").then().statusCode(200);
        api().post("/api/v1/plugins/eng-user/activate").then().statusCode(200);
        Map<String, String> before = new HashMap<>();
        for (String id : List.of("eng-base", "eng-user")) {
            before.put(id, api().get("/api/v1/plugins/{id}", id).then().extract().path("containerId"));
        }

        engine("stop");
        awaitReady(false);
        engine("start");

        // the first ready answer comes only once both run again
        awaitReady(true);
        for (String id : List.of("eng-base", "eng-user")) {
            api().get("/api/v1/plugins/{id}", id).then().body("state", is("ACTIVE"));
            String now = api().get("/api/v1/plugins/{id}", id).then().extract().path("containerId");
            assertThat(now).as(id + " runs in a new container").isNotEqualTo(before.get(id));
            api().contentType("application/json").body("{\"type\":\"echo\",\"payload\":\"" + id + "\"}")
                    .post("/api/v1/plugins/{id}/actions", id).then().statusCode(200).body("result", is(id));
        }
        api().get("/api/v1/plugins/eng-idle").then().body("state", is("INSTALLED"));
        assertThat(Files.readString(data.resolve("host.log"))).as("the engine's return was reconciled")
                .contains("answers again; reconciling");
        assertThat(lastActiveAt("eng-base")).as("the dependency runs again before its dependent")
                .isLessThanOrEqualTo(lastActiveAt("eng-user"));
    }

    /** When the plugin last became ACTIVE, from the audit trail (the record's sequence number). */
    private static long lastActiveAt(String id) {
        List<Map<String, Object>> lifecycle = api().get("/api/v1/audit?type=lifecycle&pluginId=" + id).then()
                .statusCode(200).extract().jsonPath().getList("$");
        long seq = -1;
        for (Map<String, Object> r : lifecycle) {
            if ("ACTIVE".equals(((Map<?, ?>) r.get("details")).get("to"))) {
                seq = Math.max(seq, ((Number) r.get("seq")).longValue());
            }
        }
        return seq;
    }

    private static String engine(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), command, ENGINE).redirectErrorStream(true);
        pb.environment().put("IMAGES", "logomesh-runtime-nodejs:latest");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("test-engine.sh " + command + ": " + out).isZero();
        return out;
    }

    private static void startHost() throws IOException, InterruptedException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = io.logomesh.host.support.PackagedHost.command();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(data.toFile(), "host.log")));
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("LOGOMESH_DATA_DIR", data.resolve("d").toString());
        pb.environment().put("LOGOMESH_PLUGINS_DIR", data.resolve("none").toString());
        pb.environment().put("LOGOMESH_API_TOKEN", TOKEN);
        pb.environment().put("DOCKER_HOST", dockerHost);
        pb.environment().put("LOGOMESH_RESTART_ENGINE_CHECK_INTERVAL", "1s");
        host = pb.start();
        awaitReady(true);
    }

    private static void awaitReady(boolean up) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                int status = RestAssured.given().port(port).get("/q/health/ready").statusCode();
                if ((status == 200) == up) {
                    return;
                }
            } catch (Exception notYet) { // RestAssured throws ConnectException sneakily
                // not listening yet
            }
            assertThat(host.isAlive()).as("host process exited; see " + data.resolve("host.log")).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("host did not become " + (up ? "ready" : "unready") + "; see "
                + data.resolve("host.log") + (Files.exists(data.resolve("host.log")) ? "" : " (no log)"));
    }

    private static RequestSpecification api() {
        return RestAssured.given().port(port).header("Authorization", "Bearer " + TOKEN);
    }

    private static void install(byte[] bundle) {
        api().contentType("application/gzip").body(bundle).post("/api/v1/plugins").then().statusCode(201);
    }
}
