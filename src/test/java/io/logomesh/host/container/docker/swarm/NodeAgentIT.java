package io.logomesh.host.container.docker.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SwarmNode;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.ipc.IncomingHandler;
import io.logomesh.host.ipc.IpcLimits;
import io.logomesh.host.ipc.PluginChannel;
import io.logomesh.host.ipc.PluginEndpoint;
import io.logomesh.host.ipc.relay.AgentLinks;
import io.logomesh.host.ipc.relay.AgentIdentity;
import io.logomesh.host.ipc.relay.ClusterCa;
import io.logomesh.host.ipc.relay.RelayIdentity;
import io.logomesh.host.ipc.relay.RelayLimits;
import io.logomesh.host.ipc.relay.RelayServer;
import io.logomesh.host.ipc.relay.RelayTls;
import io.logomesh.host.support.SwarmTestbed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node agents on a real three-engine swarm (deploy/swarm-testbed.sh): a global service from the control
 * plane's own image (built here by deploy/build-image.sh), one per worker, linked to a relay server over mutual
 * TLS with keys from the cluster CA, handed over as swarm secrets. Plugins placed on different workers are
 * prepared by their agents (code folder, socket for the plugin's uid), connect there, and are served through the
 * relay as local plugins are: {@code load}, {@code initialize}, {@code activate}, {@code execute}. A frame that
 * claims another plugin's id is attributed to the socket it came from; a plugin whose worker is cut off is
 * rescheduled by the swarm to the other worker, whose agent connects it again. This test plays the control
 * plane's part (the relay server, the endpoints and the calls); the host's own wiring of it is to come (issue 16).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAgentIT {

    private static final String HOST_IMAGE = SwarmTestbed.HOST_IMAGE;
    private static final String PYTHON = "logomesh-runtime-python:latest";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PLACED = Duration.ofSeconds(90);

    private static Map<String, String> env;
    private static DockerClient manager;
    private static SwarmServices services;
    private static final Map<String, String> workerIds = new LinkedHashMap<>(); // worker1/worker2 → node id
    private static Path work;
    private static NodeFolders folders;
    private static RelayServer relay;
    private static final AgentLinks links = new AgentLinks();
    private static final Map<String, PluginEndpoint> endpoints = new ConcurrentHashMap<>();
    private static final Map<String, String> whoAmI = new ConcurrentHashMap<>(); // nonce → plugin the host saw
    private static final List<String> created = new ArrayList<>();
    private static final List<String> secrets = new ArrayList<>();
    private static int nextUid = 20_950;

    /** Records who the host believes sent {@code hxWhoAmI}; answers nothing else. */
    private static final IncomingHandler HOST = new IncomingHandler() {
        @Override
        public CompletionStage<JsonNode> onRequest(String pluginId, String method, ObjectNode params) {
            return CompletableFuture.failedFuture(new IllegalStateException("not served here"));
        }

        @Override
        public void onNotification(String pluginId, String method, ObjectNode params) {
            if (method.equals("hxWhoAmI")) {
                whoAmI.put(params.path("nonce").asText(), pluginId);
            }
        }
    };

    @BeforeAll
    static void upTheSwarmAndItsAgents() throws Exception {
        SwarmTestbed.assumeRunnable();
        SwarmTestbed.buildHostImage();
        env = SwarmTestbed.up(PYTHON + " " + HOST_IMAGE);
        manager = SwarmTestbed.client(env.get("MANAGER_HOST"));
        services = SwarmTestbed.services(manager);
        for (SwarmNode node : manager.listSwarmNodesCmd().exec()) {
            String name = node.getSpec().getLabels().get("logomesh.node");
            if (name != null && name.startsWith("worker")) {
                workerIds.put(name, node.getId());
            }
        }
        assertThat(workerIds).hasSize(2);
        work = Files.createTempDirectory("agent-it-");
        // short: a plugin's socket path under it must stay within the 107 bytes of a Unix socket address
        folders = new NodeFolders(Files.createTempDirectory(Path.of("/run"), "lmn-"));

        ClusterCa ca = ClusterCa.loadOrCreate(work.resolve("ca"));
        String address = env.get("CONTROL_PLANE_ADDR");
        RelayIdentity server = ca.issueServer("control-plane", List.of(address), List.of());
        relay = RelayServer.start(new InetSocketAddress(address, 0), RelayTls.server(server),
                (pluginId, nodeId, agent) -> AgentIdentity.speaksFor(agent, nodeId) && links.nodes().contains(nodeId)
                        ? Optional.ofNullable(endpoints.get(pluginId)).map(PluginEndpoint::socketPath) : Optional.empty(),
                (nodeId, agent, link) -> {
                    if (AgentIdentity.speaksFor(agent, nodeId)) {
                        links.serve(nodeId, link);
                    }
                }, RelayLimits.DEFAULTS);
        String image = SwarmTestbed.imageId(env, HOST_IMAGE);
        for (String node : workerIds.values()) { // one agent per worker, each with a certificate naming its node
            Path agentFiles = work.resolve("agent-" + node);
            ca.issueAgent(AgentIdentity.commonName(node)).writeTo(agentFiles);
            List<SwarmAgentSpec.Secret> handed = new ArrayList<>();
            String tag = UUID.randomUUID().toString().substring(0, 8);
            for (String file : List.of(RelayIdentity.KEY_FILE, RelayIdentity.CERT_FILE, RelayIdentity.CA_FILE)) {
                String name = "logomesh-agent-" + tag + "-" + file;
                String id = services.createSecret(name, Files.readAllBytes(agentFiles.resolve(file)),
                        Map.of("io.logomesh.host", "agent-it"));
                secrets.add(id);
                handed.add(new SwarmAgentSpec.Secret(id, name, file));
            }
            created.add(services.create(SwarmAgentSpec.of(node, image, address + ":" + relay.port(), folders, handed,
                    "agent-it", SwarmTestbed.ENGINE_SOCKET)));
        }
        SwarmTestbed.await(() -> links.nodes().size() == 2 ? Optional.of(true) : Optional.empty(), PLACED,
                "both workers' agents linked");
        assertThat(links.nodes()).containsExactlyInAnyOrderElementsOf(workerIds.values());
    }

    @AfterAll
    static void downTheSwarm() throws Exception {
        if (env == null) {
            return;
        }
        try {
            if (relay != null) {
                relay.close();
            }
            endpoints.values().forEach(PluginEndpoint::close);
        } finally {
            SwarmTestbed.down();
            SwarmTestbed.deleteTree(folders == null ? null : folders.root());
            SwarmTestbed.deleteTree(work);
        }
    }

    @Test
    @Order(1)
    void shouldServePluginsOnTwoWorkersThroughTheirAgentsAndAttributeEveryFrameToItsSocket() throws Exception {
        PluginChannel echo = place("sw-echo", "plugins/echo-python", Optional.of(workerIds.get("worker1")));
        PluginChannel spoof = place("sw-spoof", "hostile/ipc-abuse-python", Optional.of(workerIds.get("worker2")));

        JsonNode answer = execute(echo, "echo", JSON.createObjectNode().put("across", "nodes"));
        assertThat(answer.path("across").asText()).isEqualTo("nodes");

        String nonce = UUID.randomUUID().toString();
        execute(spoof, "spoof", JSON.createObjectNode().put("victim", "sw-echo").put("nonce", nonce));
        String caller = SwarmTestbed.await(() -> Optional.ofNullable(whoAmI.get(nonce)), Duration.ofSeconds(10),
                "the forged frame at the control plane");
        assertThat(caller).as("a frame claiming sw-echo, from sw-spoof's socket on worker2").isEqualTo("sw-spoof");
        assertThat(execute(echo, "echo", JSON.createObjectNode().put("still", true)).path("still").asBoolean())
                .isTrue();
    }

    @Test
    @Order(2)
    void shouldServeAPluginAgainOnTheOtherWorkerWhenItsWorkerIsCutOff() throws Exception {
        PluginChannel first = place("sw-move", "plugins/echo-python", Optional.empty());
        String service = created.getLast();
        String lost = services.running(service).orElseThrow().nodeId().orElseThrow();
        String lostName = workerIds.entrySet().stream().filter(e -> e.getValue().equals(lost)).findFirst()
                .orElseThrow().getKey();

        long cut = System.nanoTime();
        SwarmTestbed.cut(lostName);
        PluginChannel again = SwarmTestbed.await(() -> endpoints.get("sw-move").current().filter(c -> c != first && c.isOpen()),
                PLACED, "sw-move connected again");
        again.ready().get(30, TimeUnit.SECONDS);
        start(again, "sw-move");
        JsonNode answer = execute(again, "echo", JSON.createObjectNode().put("moved", true));
        long tookMs = (System.nanoTime() - cut) / 1_000_000;
        System.out.printf("SWARM-FAILOVER %s cut: sw-move answered again on the other worker after %d ms%n",
                lostName, tookMs);
        assertThat(answer.path("moved").asBoolean()).isTrue();
        assertThat(services.running(service).orElseThrow().nodeId()).get().isNotEqualTo(lost);
    }

    /** As the control plane will: endpoint, agents prepared, service created, then the cell-style start. */
    private static PluginChannel place(String id, String fixture, Optional<String> node) throws Exception {
        int uid = nextUid++;
        Path ipc = work.resolve("ipc").resolve(id);
        PluginEndpoint endpoint = PluginEndpoint.open(id, ipc, IpcLimits.withFrameCap(1 << 20), HOST, JSON);
        endpoints.put(id, endpoint);
        assertThat(links.prepare(id, uid, code(fixture), Duration.ofSeconds(30)))
                .containsExactlyInAnyOrderElementsOf(workerIds.values());
        Map<String, String> cellEnv = Map.of("LOGOMESH_CELL", "1",
                "LOGOMESH_SOCKET", ContainerSpec.IPC_MOUNT + "/" + PluginEndpoint.SOCKET_NAME,
                "LOGOMESH_MAX_FRAME", Integer.toString(1 << 20), "HOME", "/tmp");
        ContainerSpec spec = new ContainerSpec(id, "unused", uid, Path.of("/unused"), Path.of("/unused"),
                Optional.empty(), cellEnv, 128L << 20, 50, 64, 256, 16L << 20, "1m", 2);
        ObjectNode body = SwarmServiceSpec.of(spec, SwarmTestbed.imageId(env, PYTHON), folders,
                "agent-it", Optional.empty());
        node.ifPresent(n -> ((com.fasterxml.jackson.databind.node.ArrayNode) body
                .at("/TaskTemplate/Placement/Constraints")).add("node.id==" + n)); // placed by the test, not spread
        created.add(services.create(body));
        PluginChannel channel = endpoint.awaitConnection(PLACED);
        channel.ready().get(30, TimeUnit.SECONDS);
        start(channel, id);
        return channel;
    }

    private static void start(PluginChannel channel, String id) throws Exception {
        channel.request("load", JSON.createObjectNode().put("pluginId", id).put("main", "main.py")
                .put("securityLevel", "elevated").put("maxMemoryMB", 128).put("maxExecutionMs", 5000)
                .put("maxConcurrency", 4)).get(30, TimeUnit.SECONDS);
        ObjectNode init = JSON.createObjectNode().put("pluginId", id);
        init.putObject("config");
        init.putObject("secrets");
        channel.request("initialize", init).get(30, TimeUnit.SECONDS);
        channel.request("activate", JSON.createObjectNode()).get(30, TimeUnit.SECONDS);
    }

    private static JsonNode execute(PluginChannel channel, String type, JsonNode payload) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.putObject("action").put("id", UUID.randomUUID().toString()).put("type", type).set("payload", payload);
        return channel.request("execute", params).get(30, TimeUnit.SECONDS);
    }

    private static Map<String, byte[]> code(String fixture) throws IOException {
        Path dir = Path.of("src/test/resources").resolve(fixture);
        Map<String, byte[]> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
