package io.logomesh.host;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeAvailability;
import io.logomesh.host.container.docker.swarm.ServiceTask;
import io.logomesh.host.ipc.relay.AgentIdentity;
import io.logomesh.host.ipc.relay.ClusterCa;
import io.logomesh.host.ipc.relay.RelayClient;
import io.logomesh.host.ipc.relay.RelayHeader;
import io.logomesh.host.ipc.relay.RelayTls;
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
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The host in cluster mode ({@code logomesh.cluster.mode=swarm}), packaged, against a real three-engine swarm
 * (deploy/swarm-testbed.sh): it starts its relay and the node agents, and plugins installed and activated through
 * the REST API run as services on the workers and answer actions through it; a message between two plugins on
 * different workers goes through the host; a networked plugin on a worker reaches its allow-list through the
 * host's egress proxy and nothing else; a plugin on a worker is upgraded side by side through the REST API and a
 * failing new version rolled back; a plugin whose worker is cut off is served again from the other worker.
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
    private static Path dataRoot;

    @BeforeAll
    static void upTheSwarmAndTheHost() throws Exception {
        SwarmTestbed.assumeRunnable();
        SwarmTestbed.buildHostImage();
        env = SwarmTestbed.up("logomesh-runtime-nodejs:latest logomesh-runtime-python:latest " + HOST_IMAGE);
        String managerHost = env.get("MANAGER_HOST");
        services = SwarmTestbed.services(SwarmTestbed.client(managerHost));
        nodeRoot = Files.createTempDirectory(Path.of("/run"), "lmc-");
        dataRoot = Files.createTempDirectory(Path.of("/var/tmp"), "lmc-data-"); // set apart from the (tmpfs) node root
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
        SwarmTestbed.deleteTree(dataRoot);
    }

    @Test
    @Order(1)
    void shouldRunPluginsOnTheWorkersAndServeTheirActionsAndMessagesThroughTheHost() {
        // the host waits for a first agent only: the second may link a moment later
        SwarmTestbed.await(() -> api().get("/api/v1/system").then().extract().jsonPath()
                .getList("cluster.nodes").size() == 2 ? Optional.of(true) : Optional.empty(), Duration.ofSeconds(30),
                "both workers' agents linked");
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
    void shouldReportUsageThatTheWorkersAgentReadFromTheKernel() throws Exception {
        String service = api().get("/api/v1/plugins/cl-node").then().extract().path("containerId");
        String node = nodeOf("cl-node");
        io.restassured.path.json.JsonPath usage = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var r = api().get("/api/v1/plugins/cl-node/usage");
            if (r.statusCode() == 200 && r.jsonPath().getLong("usage.memoryBytes") > 0) {
                usage = r.jsonPath();
                break;
            }
            Thread.sleep(250);
        }
        assertThat(usage).as("a usage report with a reading; the host's log:\n" + tail(log(), 60)).isNotNull();
        System.out.printf("CLUSTER-USAGE cl-node on %s: %s%n", nodeName(node), usage.getMap("usage"));
        assertThat(usage.getString("containerId")).isEqualTo(service);
        assertThat(usage.getString("usage.source")).as("read on the plugin's own node, from its cgroup files")
                .isEqualTo("node " + node + ": cgroup-v1");
        assertThat(usage.getLong("usage.memoryLimitBytes")).as("the plugin's limit, as the node's kernel has it")
                .isEqualTo(usage.getLong("limits.maxMemoryMB") << 20);
        assertThat(usage.getLong("usage.pids")).isBetween(1L, usage.getLong("usage.pidsLimit"));
        // memory = memory+swap: the agent set it on the task's container as it started
        var inspect = SwarmTestbed.client(env.get(nodeName(node).toUpperCase(java.util.Locale.ROOT) + "_HOST"))
                .listContainersCmd().withLabelFilter(Map.of("com.docker.swarm.service.id", service)).exec();
        assertThat(inspect).hasSize(1);
        var hostConfig = SwarmTestbed.client(env.get(nodeName(node).toUpperCase(java.util.Locale.ROOT) + "_HOST"))
                .inspectContainerCmd(inspect.getFirst().getId()).exec().getHostConfig();
        assertThat(hostConfig.getMemorySwap()).as("memory+swap").isEqualTo(hostConfig.getMemory());
        // the agent read the plugin's counters through a procfs of the node's processes only: none of the kernel's
        // files (sysrq-trigger, sys, kcore, timer_list, ...) is in its view, so none needs a read-only bind
        String engineHost = env.get(nodeName(node).toUpperCase(java.util.Locale.ROOT) + "_HOST");
        var agents = SwarmTestbed.client(engineHost).listContainersCmd()
                .withLabelFilter(Map.of("io.logomesh.component", "node-agent")).exec();
        assertThat(agents).hasSize(1);
        var agent = SwarmTestbed.client(engineHost).inspectContainerCmd(agents.getFirst().getId()).exec();
        assertThat(agent.getConfig().getHealthcheck().getTest()).as("the image's health check, off for the agent")
                .containsExactly("NONE");
        assertThat(agent.getState().getHealth()).as("never unhealthy, so never replaced by the swarm").isNull();
        List<String> proc = List.of(SwarmTestbed.run(Map.of(), "docker", "-H", engineHost, "exec",
                agents.getFirst().getId(), "ls", "/host/proc").trim().split("\\s+"));
        System.out.printf("CLUSTER-AGENT-PROC on %s: %d entries, not a pid: %s%n", nodeName(node), proc.size(),
                proc.stream().filter(e -> !e.matches("[0-9]+")).toList());
        assertThat(proc).filteredOn(e -> !e.matches("[0-9]+")).containsExactlyInAnyOrder("self", "thread-self");
        assertThat(proc).as("the node's processes").hasSizeGreaterThan(10);
        assertThat(SwarmTestbed.client(engineHost).listVolumesCmd().exec().getVolumes())
                .extracting(com.github.dockerjava.api.command.InspectVolumeResponse::getName)
                .as("one procfs volume on the node, reused by the agent's tasks").containsExactly("logomesh-agent-proc");
    }

    /**
     * A child process of the plugin is OOM-killed on its worker; the main process lives on, so only the node's
     * engine event (reported by its agent) tells: the plugin gets an {@code oom} alert and ends {@code oom}, and
     * is started again.
     */
    @Test
    @Order(3)
    void shouldActOnAnOomKillThatTheWorkersEngineReported() throws Exception {
        install(io.logomesh.host.support.TestBundle.hostile("memory-child-python").manifest(m ->
                m.put("id", "cl-oom")).tarGz());
        api().post("/api/v1/plugins/cl-oom/activate").then().statusCode(200);
        String before = api().get("/api/v1/plugins/cl-oom").then().extract().path("containerId");
        action("cl-oom", "{\"type\":\"attack\",\"payload\":{}}");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Map<String, Object>> alerts = List.of();
        while (System.nanoTime() < deadline) {
            alerts = api().get("/api/v1/plugins/cl-oom/alerts").then().extract().jsonPath().getList("$");
            if (alerts.stream().anyMatch(a -> "oom".equals(a.get("type")))) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(alerts).as("an oom alert; the host's log:\n" + tail(log(), 80))
                .anySatisfy(a -> assertThat(a.get("type")).isEqualTo("oom"));
        // ended "oom" (the host's restart policy may already have started it again: then its restart says so)
        boolean endedOom = false;
        while (System.nanoTime() < deadline && !endedOom) {
            var state = api().get("/api/v1/plugins/cl-oom").then().extract().jsonPath();
            List<Map<String, Object>> restarts = api().get("/api/v1/audit?type=restart&pluginId=cl-oom").then()
                    .extract().jsonPath().getList("$");
            endedOom = "oom".equals(state.getString("failureReason"))
                    || restarts.stream().anyMatch(r -> r.toString().contains("oom"));
            Thread.sleep(250);
        }
        assertThat(endedOom).as("the plugin ended oom; the host's log:\n" + tail(log(), 80)).isTrue();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            if ("FAILED".equals(api().get("/api/v1/plugins/cl-oom").then().extract().path("state"))) {
                api().post("/api/v1/plugins/cl-oom/activate");
            }
            status = action("cl-oom", "{\"type\":\"echo\",\"payload\":\"again\"}").extract().statusCode();
            Thread.sleep(250);
        }
        assertThat(status).as("served again by a new container").isEqualTo(200);
        assertThat(api().get("/api/v1/plugins/cl-oom").then().extract().<String>path("containerId"))
                .as("a new service").isNotEqualTo(before);
        api().delete("/api/v1/plugins/cl-oom").then().statusCode(204);
    }

    @Test
    @Order(4)
    void shouldFailAtOnceSayingWhyWhenTheWorkersLackThePluginsImage() {
        // the testbed's workers hold the Node.js and Python images only
        install(TestBundle.fixture("echo-wasm", "cl-wasm").tarGz());

        api().post("/api/v1/plugins/cl-wasm/activate").then().statusCode(503)
                .body("error", is("container_launch_failed"))
                .body("message", org.hamcrest.Matchers.containsString("rejected"));
        api().get("/api/v1/plugins/cl-wasm").then().body("state", is("FAILED"));
        api().delete("/api/v1/plugins/cl-wasm").then().statusCode(204);
    }

    /**
     * A plugin with {@code network} on a worker (whose tasks have only {@code lo}: the worker's engine runs with
     * {@code "bridge": "none"}) reaches what its allow-list names through {@code egress.sock} in its node folder:
     * the node's agent relays each connection to the control plane, whose egress proxy decides it as a local one. A
     * target outside the list and the metadata address (even listed) are refused by the proxy before it connects
     * anywhere: the unlisted listener never sees a connection, and the refusals are audited without an address. A
     * plugin without {@code network} has no egress socket on its node and only {@code lo}.
     */
    @Test
    @Order(4)
    void shouldRelayAPluginOnlyFromTheAgentOfTheNodeItRunsOnWithThatNodesCertificate() throws Exception {
        String pyNode = nodeOf("cl-py");
        String other = nodeOf("cl-node");
        assertThat(services.workerIds()).containsExactlyInAnyOrder(pyNode, other);
        assertThat(services.servicesOf(hostId()).values().stream()
                .filter(l -> "node-agent".equals(l.get("io.logomesh.component")))
                .map(l -> l.get("io.logomesh.node")).toList())
                .as("one agent service per worker").containsExactlyInAnyOrder(pyNode, other);
        // the host's CA signs a certificate for the other worker, as its agent holds one
        ClusterCa ca = ClusterCa.loadOrCreate(data.resolve("d").resolve("cluster"));
        SSLContext otherAgent = RelayTls.client(ca.issueAgent(AgentIdentity.commonName(other)));
        InetSocketAddress relay = relayAddress();
        assertThat(refused(relay, otherAgent, new RelayHeader.Plugin("cl-py", pyNode)))
                .as("another node's certificate claiming the plugin's node").isTrue();
        assertThat(refused(relay, otherAgent, new RelayHeader.Plugin("cl-py", other)))
                .as("its own node, where the plugin does not run").isTrue();
        assertThat(refused(relay, otherAgent, new RelayHeader.Control(pyNode)))
                .as("a control link for another node").isTrue();
        assertThat(refused(relay, RelayTls.client(ca.issueAgent("logomesh-node-agent")),
                new RelayHeader.Plugin("cl-py", pyNode))).as("a certificate that names no node").isTrue();
        // and the plugin's real session, relayed by its own node's agent, is untouched
        action("cl-py", "{\"type\":\"echo\",\"payload\":{\"still\":true}}").statusCode(200)
                .body("result.still", is(true));
    }

    /** Whether the relay closes the connection at once (refused), rather than piping it to a plugin's socket. */
    private static boolean refused(InetSocketAddress relay, SSLContext tls, RelayHeader header) throws Exception {
        try (SSLSocket socket = RelayClient.connect(relay, tls, header, Duration.ofSeconds(5))) {
            socket.setSoTimeout(3_000);
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException piped) {
            return false;
        } catch (java.io.IOException | RuntimeException closed) {
            return true;
        }
    }

    private static InetSocketAddress relayAddress() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("relay on ([0-9.]+):([0-9]+)").matcher(log());
        assertThat(m.find()).as("the host logs its relay's address").isTrue();
        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
    }

    private static String hostId() {
        return api().get("/api/v1/system").then().statusCode(200).extract().path("host.id");
    }

    @Test
    @Order(5)
    void shouldLetANetworkedPluginOnAWorkerReachOnlyItsAllowListThroughTheControlPlanesEgressProxy()
            throws Exception {
        String address = env.get("CONTROL_PLANE_ADDR"); // the testbed's root leg: the control plane's own address
        java.util.concurrent.atomic.AtomicInteger allowedHits = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer allowed = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(address, 0), 0);
        allowed.createContext("/", exchange -> {
            allowedHits.incrementAndGet();
            byte[] body = "egress-ok".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        allowed.start();
        // outside the allow-list: a plain listener, never accepted from, so any connection would wait in its queue
        java.nio.channels.ServerSocketChannel unlisted = java.nio.channels.ServerSocketChannel.open()
                .bind(new java.net.InetSocketAddress(address, 0));
        unlisted.configureBlocking(false);
        try {
            int ok = allowed.getAddress().getPort();
            int other = ((java.net.InetSocketAddress) unlisted.getLocalAddress()).getPort();
            install(TestBundle.hostile("egress-python").manifest(m -> {
                m.put("id", "cl-net");
                // the metadata address listed too: the proxy's address rules refuse it whatever the list says
                m.with("resourceRequirements").putArray("allowedHosts").add(address + ":" + ok)
                        .add("169.254.169.254:80");
            }).tarGz());
            install(TestBundle.hostile("egress-python").manifest(m -> {
                m.put("id", "cl-quiet");
                m.with("resourceRequirements").put("networkAccess", false);
            }).tarGz());
            for (String id : List.of("cl-net", "cl-quiet")) {
                api().post("/api/v1/plugins/{id}/activate", id).then().statusCode(200);
            }
            String netNode = nodeOf("cl-net");
            String quietNode = nodeOf("cl-quiet");
            java.time.Instant since = java.time.Instant.now();

            var r = action("cl-net", "{\"type\":\"attack\",\"payload\":{"
                    + "\"tunnel\":{\"url\":\"http://" + address + ":" + ok + "/tunnel\"},"
                    + "\"plain\":{\"url\":\"http://" + address + ":" + ok + "/plain\",\"client\":\"http\"},"
                    + "\"unlisted\":{\"url\":\"http://" + address + ":" + other + "/\"},"
                    + "\"metadata\":{\"url\":\"http://169.254.169.254/latest/meta-data/\"},"
                    + "\"direct\":{\"direct\":true,\"host\":\"" + address + "\",\"port\":" + ok + "}}}")
                    .statusCode(200).extract().jsonPath();
            System.out.printf("CLUSTER-EGRESS cl-net on %s: %s%n", nodeName(netNode), r.getMap("result"));

            assertThat(r.getString("result.tunnel.body")).as("CONNECT through the proxy: %s; the host's log:\n%s",
                    r.getMap("result.tunnel"), tail(log(), 60)).isEqualTo("egress-ok");
            assertThat(r.getString("result.plain.body")).as("plain HTTP through the proxy: %s",
                    r.getMap("result.plain")).isEqualTo("egress-ok");
            for (String refused : List.of("unlisted", "metadata")) {
                assertThat(r.getBoolean("result." + refused + ".ok")).as(refused).isFalse();
                assertThat(r.getString("result." + refused)).as("%s names the proxy's refusal", refused)
                        .contains("logomesh egress").contains("403");
            }
            assertThat(r.getBoolean("result.direct.ok")).as("a direct connection, without the proxy").isFalse();
            assertThat(r.getList("result.interfaces", String.class)).as("the networked plugin's interfaces")
                    .containsExactly("lo");
            assertThat(unlisted.accept()).as("a connection reached the unlisted listener").isNull();
            assertThat(allowedHits.get()).as("requests the allowed listener served").isEqualTo(2);
            Path netIpc = nodeRoot.resolve(netNode).resolve(slotFolder("cl-net")).resolve("ipc");
            assertThat(netIpc.resolve("egress.sock")).as("egress.sock in the plugin's folder on its node").exists();

            // audited by the control plane's proxy as any egress: the refusals decided before any connect
            List<Map<String, Object>> records = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                records = api().queryParam("pluginId", "cl-net").queryParam("type", "egress")
                        .queryParam("since", since.toString()).get("/api/v1/audit").then().statusCode(200)
                        .extract().jsonPath().getList("$");
                if (records.stream().filter(x -> "ok".equals(x.get("outcome"))).count() >= 2) {
                    break;
                }
                Thread.sleep(200);
            }
            List<Map<?, ?>> refusals = records.stream().filter(x -> "refused".equals(x.get("outcome")))
                    .<Map<?, ?>>map(x -> (Map<?, ?>) x.get("details")).toList();
            assertThat(records.stream().filter(x -> "ok".equals(x.get("outcome"))))
                    .as("allowed connections audited: %s", records).hasSize(2)
                    .allSatisfy(x -> assertThat(((Map<?, ?>) x.get("details")).get("address")).isEqualTo(address));
            assertThat(refusals).as("refused connections audited: %s", records).hasSize(2)
                    .allSatisfy(d -> assertThat(d.get("address")).as("no address was connected to").isNull());
            assertThat(refusals.stream().map(d -> String.valueOf(d.get("reason"))).toList())
                    .anyMatch(x -> x.contains("169.254.169.254 is a link-local address"))
                    .anyMatch(x -> x.contains("not in the plugin's allow-list"));

            var quiet = action("cl-quiet", "{\"type\":\"attack\",\"payload\":{"
                    + "\"t\":{\"url\":\"http://" + address + ":" + ok + "/quiet\"}}}").statusCode(200)
                    .extract().jsonPath();
            assertThat(quiet.getList("result.interfaces", String.class)).as("without network").containsExactly("lo");
            assertThat(quiet.getBoolean("result.t.ok")).as("without network: %s", quiet.getMap("result.t")).isFalse();
            assertThat(quiet.getString("result.t")).contains("no network permission");
            Path quietIpc = nodeRoot.resolve(quietNode).resolve(slotFolder("cl-quiet")).resolve("ipc");
            assertThat(quietIpc.resolve("host.sock")).exists();
            assertThat(quietIpc.resolve("egress.sock")).as("no egress.sock without network").doesNotExist();
            assertThat(allowedHits.get()).as("the plugin without network reached nothing").isEqualTo(2);
            System.out.printf("CLUSTER-EGRESS cl-quiet on %s: %s%n", nodeName(quietNode), quiet.getMap("result"));
        } finally {
            allowed.stop(0);
            unlisted.close();
            for (String id : List.of("cl-net", "cl-quiet")) {
                api().delete("/api/v1/plugins/{id}", id);
            }
        }
    }

    /**
     * An upgrade of an ACTIVE plugin on a worker, through the REST API, starts the new version as a service of the
     * plugin's other slot ({@code logomesh-<id>_2}, its own node folder {@code <id>.next}, its own socket and relay
     * route), switches to it once it is ACTIVE and removes the old service; actions sent all along are all served.
     * A new version whose {@code initialize} throws is rolled back: its service is removed and the old version
     * answers on. The next upgrade goes back to the first slot.
     */
    @Test
    @Order(6)
    void shouldUpgradeAPluginOnAWorkerSideBySideAndRollBackAVersionThatFailsToInitialize() throws Exception {
        // the manifest's longest id, ending in '-': its node sockets fit, and its first slot's service is named apart
        String id = "cl-upg-" + "x".repeat(42) + "-";
        install(upgradeBundle(id, "1.0.0", false));
        api().post("/api/v1/plugins/{id}/activate", id).then().statusCode(200);
        action(id, "{\"type\":\"work\"}").statusCode(200).body("result.version", is("1.0.0"));
        String v1 = api().get("/api/v1/plugins/{id}", id).then().extract().path("containerId");
        String v1Node = nodeOf(id);

        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> outcomes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread caller = Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                var r = api().contentType("application/json").body("{\"type\":\"work\"}")
                        .post("/api/v1/plugins/{id}/actions", id);
                outcomes.add(r.statusCode() == 200 ? "ok:" + r.path("result.version") : "lost:" + r.statusCode()
                        + " " + r.asString());
            }
        });
        var up = upgrade(id, upgradeBundle(id, "2.0.0", false));
        int atSwitch = outcomes.size();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (outcomes.size() < atSwitch + 10 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        stop.set(true);
        caller.join();
        assertThat(up.statusCode()).as(up.asString() + "; the host's log:\n" + tail(log(), 80)).isEqualTo(200);
        String v2 = api().get("/api/v1/plugins/{id}", id).then().body("state", is("ACTIVE"))
                .body("manifest.version", is("2.0.0")).extract().path("containerId");
        System.out.printf("CLUSTER-UPGRADE %s: 1.0.0 on %s, 2.0.0 on %s; %d actions during the upgrade%n", id,
                nodeName(v1Node), nodeName(nodeOf(id)), outcomes.size());
        assertThat(outcomes).as("every action during the upgrade was served").isNotEmpty()
                .allMatch(o -> o.startsWith("ok:"));
        assertThat(outcomes.getLast()).isEqualTo("ok:2.0.0");
        action(id, "{\"type\":\"work\"}").statusCode(200).body("result.version", is("2.0.0"));
        assertThat(v2).as("a service of its own").isNotEqualTo(v1);
        assertThat(slotsOf(id)).as("the old service is gone, the new one is the next slot's")
                .containsExactly(Map.entry(v2, "next"));
        var next = new io.logomesh.host.container.docker.swarm.PluginSlot(id, true);
        assertThat(Files.exists(nodeRoot.resolve(nodeOf(id)).resolve(next.nodeFolderName()).resolve("ipc/host.sock")))
                .as("the new version's socket on its node").isTrue();
        assertThat(Files.exists(nodeRoot.resolve(v1Node).resolve(
                io.logomesh.host.container.docker.swarm.PluginSlot.first(id).nodeFolderName())))
                .as("the old version's folder forgotten").isFalse();

        var failed = upgrade(id, upgradeBundle(id, "2.5.0", true));
        assertThat(failed.statusCode()).as(failed.asString()).isEqualTo(409);
        assertThat(failed.<String>path("error")).isEqualTo("upgrade_failed");
        api().get("/api/v1/plugins/{id}", id).then().body("state", is("ACTIVE"))
                .body("manifest.version", is("2.0.0")).body("containerId", is(v2));
        action(id, "{\"type\":\"work\"}").statusCode(200).body("result.version", is("2.0.0"));
        assertThat(slotsOf(id)).as("the failed version's service removed").containsExactly(Map.entry(v2, "next"));

        assertThat(upgrade(id, upgradeBundle(id, "3.0.0", false)).statusCode()).isEqualTo(200);
        action(id, "{\"type\":\"work\"}").statusCode(200).body("result.version", is("3.0.0"));
        String v3 = api().get("/api/v1/plugins/{id}", id).then().extract().path("containerId");
        assertThat(slotsOf(id)).as("back in the first slot").containsExactly(Map.entry(v3, "first"));
        List<Map<String, Object>> audit = api().get("/api/v1/audit?type=upgrade&pluginId=" + id).then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertThat(audit).extracting(r -> r.get("outcome")).containsExactlyInAnyOrder("ok", "failed", "ok");
        api().delete("/api/v1/plugins/{id}", id).then().statusCode(204);
        assertThat(slotsOf(id)).isEmpty();
    }

    /** A plugin that answers {@code work} with its version; with {@code failInitialize} its initialize throws. */
    private static byte[] upgradeBundle(String id, String version, boolean failInitialize) {
        String code = """
                'use strict';
                module.exports = {
                  initialize() { if (%s) throw new Error('version %s refuses to initialize'); },
                  activate() {},
                  deactivate() {},
                  async execute(action) { return { version: '%s' }; },
                };
                """.formatted(failInitialize, version, version);
        return TestBundle.fixture("echo-node", id).file("index.js", code).manifest(m -> m.put("version", version))
                .tarGz();
    }

    private static io.restassured.response.Response upgrade(String id, byte[] bundle) {
        return api().contentType("application/gzip").body(bundle).put("/api/v1/plugins/{id}", id);
    }

    /** The plugin's services on the manager (waiting a little for a removal): id → slot label. */
    private static Map<String, String> slotsOf(String pluginId) throws InterruptedException {
        Map<String, String> slots = Map.of();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            slots = new java.util.TreeMap<>();
            for (var e : services.servicesOf(hostId()).entrySet()) {
                if (pluginId.equals(e.getValue().get("io.logomesh.plugin"))) {
                    slots.put(e.getKey(), e.getValue().getOrDefault("io.logomesh.slot", "none"));
                }
            }
            if (slots.size() <= 1) {
                return slots;
            }
            Thread.sleep(200);
        }
        return slots;
    }

    /**
     * A plugin on a worker is lent more memory and CPU (a grant, asked for in an action through the REST API): the
     * control plane orders the agent of the plugin's node to apply it, and that node's engine has it on the task's
     * container (memory = memory+swap, {@code NanoCpus}, {@code PidsLimit}); given back, the limits go down again.
     * The plugin's processes run with {@code oom_score_adj} 1000, set by the agent at the container's start; a
     * process can lower its own to 0 (no floor, as on a single host), not below.
     */
    @Test
    @Order(7)
    void shouldApplyALiveLimitChangeOnTheWorkerThatRunsThePluginAndGiveItsProcessesTheOomScore() {
        install(TestBundle.fixture("echo-python", "cl-limits").manifest(m -> {
            m.putArray("permissions").add("resources:grant");
            m.with("resourceRequirements").put("maxMemoryMB", 64).put("maxCpuPercent", 50)
                    .put("maxExecutionTimeMs", 10_000).put("burstMemoryMB", 128).put("burstCpuPercent", 80);
        }).tarGz());
        try {
            api().post("/api/v1/plugins/cl-limits/activate").then().statusCode(200);
            String node = nodeOf("cl-limits");
            var before = taskHostConfig("cl-limits", node);
            assertThat(before.getMemory()).isEqualTo(64L << 20);
            assertThat(before.getMemorySwap()).as("memory+swap from the start").isEqualTo(64L << 20);
            assertThat(before.getNanoCPUs()).isEqualTo(500_000_000L);
            long pids = before.getPidsLimit();

            String memory = action("cl-limits", "{\"type\":\"grant\",\"payload\":{\"type\":\"memory\","
                    + "\"amount\":32}}").statusCode(200).body("success", is(true)).extract().path("result.grantId");
            String cpu = action("cl-limits", "{\"type\":\"grant\",\"payload\":{\"type\":\"cpu\",\"amount\":20}}")
                    .statusCode(200).body("success", is(true)).extract().path("result.grantId");
            var granted = taskHostConfig("cl-limits", node);
            System.out.printf("CLUSTER-LIMITS cl-limits on %s: memory %d, memory+swap %d, NanoCpus %d, pids %d%n",
                    nodeName(node), granted.getMemory(), granted.getMemorySwap(), granted.getNanoCPUs(),
                    granted.getPidsLimit());
            assertThat(granted.getMemory()).as("64 MiB + 32 granted, on the node's engine").isEqualTo(96L << 20);
            assertThat(granted.getMemorySwap()).as("memory+swap").isEqualTo(96L << 20);
            assertThat(granted.getNanoCPUs()).as("50 % + 20 granted").isEqualTo(700_000_000L);
            assertThat(granted.getPidsLimit()).isEqualTo(pids);

            var score = action("cl-limits", "{\"type\":\"oomScore\",\"payload\":{\"lower\":0}}").statusCode(200)
                    .extract().jsonPath();
            var below = action("cl-limits", "{\"type\":\"oomScore\",\"payload\":{\"lower\":-1}}")
                    .statusCode(200).extract().jsonPath();
            System.out.printf("CLUSTER-OOM-SCORE cl-limits: %s; lowering to -1: %s%n", score.getMap("result"),
                    below.getMap("result.child"));
            assertThat(score.getInt("result.self")).as("oom_score_adj in the plugin").isEqualTo(1000);
            assertThat(score.getInt("result.init")).as("oom_score_adj of its PID 1").isEqualTo(1000);
            assertThat(score.getString("result.child.lowered")).as("no floor: down to 0 is allowed").isEqualTo("ok");
            assertThat(score.getInt("result.child.after")).isZero();
            assertThat(below.getString("result.child.lowered")).as("below 0 needs CAP_SYS_RESOURCE")
                    .isEqualTo("EACCES");
            assertThat(below.getInt("result.child.after")).isEqualTo(1000);

            for (String grant : List.of(memory, cpu)) {
                action("cl-limits", "{\"type\":\"release\",\"payload\":{\"grantId\":\"" + grant + "\"}}")
                        .statusCode(200).body("success", is(true));
            }
            var released = taskHostConfig("cl-limits", node);
            assertThat(released.getMemory()).as("back to the manifest's").isEqualTo(64L << 20);
            assertThat(released.getMemorySwap()).isEqualTo(64L << 20);
            assertThat(released.getNanoCPUs()).isEqualTo(500_000_000L);
        } finally {
            api().delete("/api/v1/plugins/cl-limits");
        }
    }

    /** The engine's record of the plugin's task container, on the node that runs it. */
    private static com.github.dockerjava.api.model.HostConfig taskHostConfig(String pluginId, String node) {
        String service = api().get("/api/v1/plugins/{id}", pluginId).then().extract().path("containerId");
        var engine = SwarmTestbed.client(env.get(nodeName(node).toUpperCase(java.util.Locale.ROOT) + "_HOST"));
        var containers = engine.listContainersCmd().withLabelFilter(Map.of("com.docker.swarm.service.id", service))
                .exec();
        assertThat(containers).hasSize(1);
        return engine.inspectContainerCmd(containers.getFirst().getId()).exec().getHostConfig();
    }

    /**
     * A plugin with {@code fileSystemAccess} is pinned to the worker its first placement chose: its {@code /data} is a
     * folder on that node's disk (0700, the plugin's uid), which outlives its services: deactivated and activated
     * again, it comes back to the same node and reads what it wrote. While that node takes no task (paused), an
     * activation fails at once with 503 {@code node_unavailable} naming the node, instead of waiting for a task that
     * cannot be placed, and the plugin waits for its node (RESTARTING {@code node_unavailable}, one alert, no crash
     * loop); once the node is active again the plugin starts there by itself with its data. Uninstalled, the node's
     * folder and the pin are gone.
     */
    @Test
    @Order(8)
    void shouldPinAPluginWithDataToItsWorkerKeepTheDataAcrossStartsAndDropItAtUninstall() throws Exception {
        install(TestBundle.fixture("data-python", "cl-data").tarGz());
        api().post("/api/v1/plugins/cl-data/activate").then().statusCode(200);
        String node = nodeOf("cl-data");
        assertThat(services.workerIds()).contains(node);
        Path pins = data.resolve("d").resolve("cluster").resolve("pins.json");
        assertThat(Files.readString(pins)).as("pinned where it was placed").contains("\"cl-data\" : \"" + node + "\"");
        var stat = action("cl-data", "{\"type\":\"stat\"}").statusCode(200).extract().jsonPath();
        assertThat(stat.getInt("result.uid")).as("/data is the plugin's uid's").isEqualTo(stat.getInt("result.me"));
        assertThat(stat.getString("result.mode")).isEqualTo("0o700");
        action("cl-data", "{\"type\":\"write\",\"payload\":{\"name\":\"notes.txt\",\"text\":\"kept\"}}")
                .statusCode(200);
        Path folder = dataRoot.resolve(node).resolve("cl-data").resolve("data");
        assertThat(folder.resolve("notes.txt")).as("on the node's disk").hasContent("kept");
        assertThat(Files.getAttribute(folder, "unix:uid")).isEqualTo(stat.getInt("result.me"));
        String before = api().get("/api/v1/plugins/cl-data").then().extract().path("containerId");

        api().post("/api/v1/plugins/cl-data/deactivate").then().statusCode(200);
        assertThat(folder.resolve("notes.txt")).as("its service gone, its data stays").hasContent("kept");
        api().post("/api/v1/plugins/cl-data/activate").then().statusCode(200);
        assertThat(api().get("/api/v1/plugins/cl-data").then().extract().<String>path("containerId"))
                .as("a new service").isNotEqualTo(before);
        assertThat(nodeOf("cl-data")).as("back on the node holding its data").isEqualTo(node);
        action("cl-data", "{\"type\":\"read\",\"payload\":{\"name\":\"notes.txt\"}}").statusCode(200)
                .body("result.text", is("kept"));

        DockerClient manager = SwarmTestbed.client(env.get("MANAGER_HOST"));
        api().post("/api/v1/plugins/cl-data/deactivate").then().statusCode(200);
        availability(manager, node, SwarmNodeAvailability.PAUSE);
        try {
            long start = System.nanoTime();
            api().post("/api/v1/plugins/cl-data/activate").then().statusCode(503)
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                    .body("error", is("node_unavailable"))
                    .body("message", org.hamcrest.Matchers.containsString(node))
                    .body("message", org.hamcrest.Matchers.containsString("pause"));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("CLUSTER-PIN cl-data on %s paused: refused in %d ms%n", nodeName(node), tookMs);
            assertThat(tookMs).as("at once, not at the activation's deadline").isLessThan(5_000);
            Thread.sleep(3_000); // a few of its tries while the node is paused
            api().get("/api/v1/plugins/cl-data").then().body("state", is("RESTARTING"))
                    .body("failureReason", is("node_unavailable"));
            List<Map<String, Object>> moves = api().get("/api/v1/audit?type=lifecycle&pluginId=cl-data").then()
                    .statusCode(200).extract().jsonPath().getList("$");
            assertThat(moves).as("audited as waiting for its node, never a launch failure")
                    .anySatisfy(r -> assertThat(r.toString()).contains("node_unavailable"))
                    .noneSatisfy(r -> assertThat(r.toString()).contains("launch_failed"));
            assertThat(api().get("/api/v1/plugins/cl-data/alerts").then().statusCode(200).extract().jsonPath()
                    .<String>getList("type")).as("one alert for the wait, not one per try")
                    .containsOnlyOnce("node_unavailable");
        } finally {
            availability(manager, node, SwarmNodeAvailability.ACTIVE);
        }
        long back = System.nanoTime();
        SwarmTestbed.await(() -> "ACTIVE".equals(api().get("/api/v1/plugins/cl-data").then().extract().path("state"))
                ? Optional.of(true) : Optional.empty(), Duration.ofSeconds(60), "cl-data started again by itself");
        System.out.printf("CLUSTER-PIN cl-data back %d ms after its node%n", (System.nanoTime() - back) / 1_000_000);
        assertThat(nodeOf("cl-data")).isEqualTo(node);
        action("cl-data", "{\"type\":\"read\",\"payload\":{\"name\":\"notes.txt\"}}").statusCode(200)
                .body("result.text", is("kept"));

        api().delete("/api/v1/plugins/cl-data").then().statusCode(204);
        assertThat(dataRoot.resolve(node).resolve("cl-data")).as("the node's data folder, at uninstall")
                .doesNotExist();
        assertThat(Files.readString(pins)).doesNotContain("cl-data");
    }

    /** Sets a node's availability on the manager (pause: it keeps its tasks, takes no new one). */
    private static void availability(DockerClient manager, String nodeId, SwarmNodeAvailability availability) {
        SwarmNode n = manager.listSwarmNodesCmd().withIdFilter(List.of(nodeId)).exec().getFirst();
        manager.updateSwarmNodeCmd().withSwarmNodeId(nodeId).withVersion(n.getVersion().getIndex())
                .withSwarmNodeSpec(n.getSpec().withAvailability(availability)).exec();
        SwarmTestbed.await(() -> services.workers().get(nodeId).availability()
                .equals(availability.name().toLowerCase(java.util.Locale.ROOT)) ? Optional.of(true) : Optional.empty(),
                Duration.ofSeconds(10), "node " + nodeId + " " + availability);
    }

    /** Last: it cuts a worker off. */
    @Test
    @Order(99)
    void shouldServeAPluginAgainFromTheOtherWorkerWhenItsWorkerIsCutOff() throws Exception {
        String lost = nodeOf("cl-py");
        String name = nodeName(lost);
        String service = api().get("/api/v1/plugins/cl-py").then().extract().path("containerId");
        int restartsBefore = api().get("/api/v1/plugins/cl-py").then().extract().path("restart.count");
        String since = java.time.Instant.now().toString();
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
        System.out.printf("CLUSTER-FAILOVER %s cut: cl-py answered again from %s after %d ms (its service kept)%n",
                name, nodeName(nodeOf("cl-py")), tookMs);
        assertThat(status).as("the host's log:\n" + tail(log(), 120)).isEqualTo(200);
        String now = nodeOf("cl-py");
        assertThat(now).isNotEqualTo(lost);
        String hostSaid = log().lines().filter(l -> l.contains("cl-py") || l.contains("node " + lost))
                .collect(java.util.stream.Collectors.joining("\n"));
        Map<String, Object> after = api().get("/api/v1/plugins/cl-py").then().extract().jsonPath().getMap("$");
        assertThat(after.get("state")).isEqualTo("ACTIVE");
        assertThat(after.get("containerId")).as("the same service: taken up on its moved task, not created anew;"
                + " the host's log about it:\n" + tail(hostSaid, 60)).isEqualTo(service);
        assertThat(((Map<?, ?>) after.get("restart")).get("count")).isEqualTo(restartsBefore);
        List<Map<String, Object>> restarts = api().queryParam("type", "restart").queryParam("pluginId", "cl-py")
                .queryParam("since", since).get("/api/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(restarts).as("no restart since the cut; the host's log:\n" + tail(log(), 80)).isEmpty();
        List<Map<String, Object>> moved = api().queryParam("type", "moved").queryParam("pluginId", "cl-py")
                .queryParam("since", since).get("/api/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(moved).as("the move is audited with both nodes").singleElement().satisfies(r -> {
            assertThat(r.get("details").toString()).contains(lost).contains(now);
        });
        List<Map<String, Object>> alerts = api().get("/api/v1/plugins/cl-py/alerts").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(alerts).as("an alert names the lost node").anySatisfy(a -> {
            assertThat(a.get("type")).isEqualTo("node_lost");
            assertThat(a.get("message").toString()).contains(lost);
        });
        assertThat(alerts).as("an alert says where it moved").anySatisfy(a -> {
            assertThat(a.get("type")).isEqualTo("node_moved");
            assertThat(a.get("message").toString()).contains(lost).contains(now);
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
        e.put("LOGOMESH_CLUSTER_NODE_DATA_ROOT", dataRoot.toString());
        e.put("LOGOMESH_CLUSTER_AGENT_IMAGE", HOST_IMAGE);
        e.put("LOGOMESH_CLUSTER_NODE_ENGINE_SOCKET", SwarmTestbed.ENGINE_SOCKET);
        e.put("LOGOMESH_EGRESS_ALLOW_PRIVATE", "true"); // exact allow-list entries may name the testbed's root leg
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

    /** The folder of the plugin's first slot on a node ({@code PluginSlot#nodeFolderName}). */
    private static String slotFolder(String pluginId) {
        return io.logomesh.host.container.docker.swarm.PluginSlot.first(pluginId).nodeFolderName();
    }

    private static void install(byte[] bundle) {
        api().contentType("application/gzip").body(bundle).post("/api/v1/plugins").then().statusCode(201);
    }
}
