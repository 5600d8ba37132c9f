package io.logomesh.host;

import io.logomesh.host.container.docker.swarm.ServiceTask;
import io.logomesh.host.container.docker.swarm.SwarmServices;
import io.logomesh.host.support.SwarmTestbed;
import io.logomesh.host.support.TestBundle;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The host in cluster mode ({@code logomesh.cluster.mode=swarm}), packaged, against a real three-engine swarm
 * (deploy/swarm-testbed.sh): it starts its relay and the node agents, and plugins installed and activated through
 * the REST API run as services on the workers and answer actions through it; a message between two plugins on
 * different workers goes through the host; a plugin whose worker is cut off is served again from the other
 * worker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterModeIT {

    private static final String TOKEN = "cluster-mode-token";
    private static final String HOST_IMAGE = SwarmTestbed.HOST_IMAGE;

    @TempDir
    static Path data;

    private static Map<String, String> env;
    private static Process host;
    private static int port;
    private static SwarmServices services;
    private static Path nodeRoot;

    @BeforeAll
    static void upTheSwarmAndTheHost() throws Exception {
        SwarmTestbed.assumeRunnable();
        SwarmTestbed.buildHostImage();
        env = SwarmTestbed.up("logomesh-runtime-nodejs:latest logomesh-runtime-python:latest " + HOST_IMAGE);
        String managerHost = env.get("MANAGER_HOST");
        services = SwarmTestbed.services(SwarmTestbed.client(managerHost));
        nodeRoot = Files.createTempDirectory(Path.of("/run"), "lmc-");
        startHost(managerHost);
    }

    @AfterAll
    static void stopHostAndSwarm() throws Exception {
        if (host != null && host.isAlive()) {
            host.destroy();
            host.waitFor(60, TimeUnit.SECONDS);
        }
        if (env != null) {
            SwarmTestbed.down();
        }
        SwarmTestbed.deleteTree(nodeRoot);
    }

    @Test
    @Order(1)
    void shouldRunPluginsOnTheWorkersAndServeTheirActionsAndMessagesThroughTheHost() {
        api().get("/api/v1/system").then().statusCode(200).body("cluster.mode", is("swarm"))
                .body("cluster.nodes.size()", is(2));
        install(TestBundle.fixture("msg-python", "cl-py").manifest(m -> m.putArray("permissions")
                .add("messaging:cl-node")).tarGz());
        install(TestBundle.fixture("msg-node", "cl-node").manifest(m -> m.putArray("permissions")
                .add("messaging:cl-py")).tarGz());
        for (String id : List.of("cl-py", "cl-node")) {
            api().post("/api/v1/plugins/{id}/activate", id).then().statusCode(200);
            api().get("/api/v1/plugins/{id}", id).then().body("state", is("ACTIVE"));
        }
        String pyNode = nodeOf("cl-py");
        String nodeNode = nodeOf("cl-node");
        System.out.printf("CLUSTER placed cl-py on %s, cl-node on %s%n", pyNode, nodeNode);
        assertThat(pyNode).as("the swarm spreads the two services over both workers").isNotEqualTo(nodeNode);

        action("cl-py", "{\"type\":\"echo\",\"payload\":{\"a\":1}}").statusCode(200).body("result.a", is(1));
        action("cl-node", "{\"type\":\"echo\",\"payload\":\"b\"}").statusCode(200).body("result", is("b"));
        action("cl-py", "{\"type\":\"send\",\"payload\":{\"target\":\"cl-node\",\"message\":{\"type\":\"ping\","
                + "\"data\":\"across\"}}}").statusCode(200)
                .body("result.pong", is("across")).body("result.from", is("cl-py")).body("result.by", is("cl-node"));
    }

    @Test
    @Order(2)
    void shouldFailAtOnceSayingWhyWhenTheWorkersLackThePluginsImage() {
        // the testbed's workers hold the Node.js and Python images only
        install(TestBundle.fixture("echo-wasm", "cl-wasm").tarGz());

        api().post("/api/v1/plugins/cl-wasm/activate").then().statusCode(503)
                .body("error", is("container_launch_failed"))
                .body("message", org.hamcrest.Matchers.containsString("rejected"));
        api().get("/api/v1/plugins/cl-wasm").then().body("state", is("FAILED"));
        api().delete("/api/v1/plugins/cl-wasm").then().statusCode(204);
    }

    @Test
    @Order(3)
    void shouldServeAPluginAgainFromTheOtherWorkerWhenItsWorkerIsCutOff() throws Exception {
        String lost = nodeOf("cl-py");
        String name = nodeName(lost);
        long cut = System.nanoTime();
        SwarmTestbed.cut(name);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = action("cl-py", "{\"type\":\"echo\",\"payload\":\"back\"}").extract().statusCode();
            if (status == 200 && !nodeOf("cl-py").equals(lost)) {
                break;
            }
            Thread.sleep(250);
        }
        long tookMs = (System.nanoTime() - cut) / 1_000_000;
        System.out.printf("CLUSTER-FAILOVER %s cut: cl-py answered again from %s after %d ms%n", name,
                nodeName(nodeOf("cl-py")), tookMs);
        assertThat(status).as("the host's log:\n" + tail(log(), 120)).isEqualTo(200);
        assertThat(nodeOf("cl-py")).isNotEqualTo(lost);
        api().get("/api/v1/plugins/cl-py").then().body("state", is("ACTIVE"));
        List<Map<String, Object>> restarts = api().get("/api/v1/audit?type=restart&pluginId=cl-py").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertThat(restarts).as("the host audited why it restarted the plugin").isNotEmpty();
        List<Map<String, Object>> alerts = api().get("/api/v1/plugins/cl-py/alerts").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(alerts).as("an alert names the lost node").anySatisfy(a -> {
            assertThat(a.get("type")).isEqualTo("node_lost");
            assertThat(a.get("message").toString()).contains(lost);
        });
        action("cl-node", "{\"type\":\"send\",\"payload\":{\"target\":\"cl-py\",\"message\":{\"type\":\"ping\","
                + "\"data\":\"after\"}}}").statusCode(200).body("result.by", is("cl-py"));
    }

    /** The node the plugin's service runs its task on, as the manager says. */
    private static String nodeOf(String pluginId) {
        String service = api().get("/api/v1/plugins/{id}", pluginId).then().extract().path("containerId");
        return services.running(service).flatMap(ServiceTask::nodeId).orElse("none");
    }

    private static String nodeName(String nodeId) {
        return services.nodeLabels().getOrDefault(nodeId, Map.of()).getOrDefault("logomesh.node", nodeId);
    }

    private static void startHost(String managerHost) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = io.logomesh.host.support.PackagedHost.command();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(data.toFile(), "host.log")));
        Map<String, String> e = pb.environment();
        e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        e.put("LOGOMESH_DATA_DIR", data.resolve("d").toString());
        e.put("LOGOMESH_PLUGINS_DIR", data.resolve("none").toString());
        e.put("LOGOMESH_API_TOKEN", TOKEN);
        e.put("LOGOMESH_CLUSTER_MODE", "swarm");
        e.put("LOGOMESH_CLUSTER_MANAGER", managerHost);
        e.put("LOGOMESH_CLUSTER_RELAY_ADDRESS", env.get("CONTROL_PLANE_ADDR") + ":0");
        e.put("LOGOMESH_CLUSTER_NODE_ROOT", nodeRoot.toString());
        e.put("LOGOMESH_CLUSTER_AGENT_IMAGE", HOST_IMAGE);
        e.put("LOGOMESH_PREWARM_NODEJS_SIZE", "0");
        e.put("LOGOMESH_PREWARM_PYTHON_SIZE", "0");
        e.put("LOGOMESH_PREWARM_WEBASSEMBLY_SIZE", "0");
        host = pb.start();
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (RestAssured.given().port(port).get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            assertThat(host.isAlive()).as("host exited; see " + data.resolve("host.log") + ":\n" + log()).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("the host did not become ready:\n" + log());
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String log() {
        try {
            return Files.readString(data.resolve("host.log"));
        } catch (Exception e) {
            return "(no log)";
        }
    }

    private static ValidatableResponse action(String id, String body) {
        return api().contentType("application/json").body(body).post("/api/v1/plugins/{id}/actions", id).then();
    }

    private static RequestSpecification api() {
        return RestAssured.given().port(port).header("Authorization", "Bearer " + TOKEN);
    }

    private static void install(byte[] bundle) {
        api().contentType("application/gzip").body(bundle).post("/api/v1/plugins").then().statusCode(201);
    }
}
