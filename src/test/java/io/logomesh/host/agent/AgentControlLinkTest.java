package io.logomesh.host.agent;

import io.logomesh.host.container.docker.swarm.NodeFolders;
import io.logomesh.host.container.docker.swarm.PluginSlot;
import io.logomesh.host.ipc.relay.AgentLinks;
import io.logomesh.host.ipc.relay.AgentOrderException;
import io.logomesh.host.ipc.relay.ClusterCa;
import io.logomesh.host.ipc.relay.RelayClient;
import io.logomesh.host.ipc.relay.RelayHeader;
import io.logomesh.host.ipc.relay.RelayLimits;
import io.logomesh.host.ipc.relay.RelayServer;
import io.logomesh.host.ipc.relay.RelayTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node agent's control link against the control plane's {@link AgentLinks}, over a real relay server with
 * mutual TLS on loopback: orders to prepare and forget a plugin are carried out on the node's folders and
 * answered; a bad order is refused without touching anything outside the plugin's folder.
 */
@Timeout(30)
class AgentControlLinkTest {

    private static final String NODE = "n0de1d0f7hetestsw4rm00001";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private RelayServer relay;
    private Thread agent;
    private PluginPosts posts;
    private final AgentLinks links = new AgentLinks();
    private NodeFolders folders;
    private ControlLink link;
    private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> limitUpdates = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void linkAnAgent() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("ca"));
        relay = RelayServer.start(new InetSocketAddress("127.0.0.1", 0),
                RelayTls.server(ca.issueServer("control-plane", List.of("127.0.0.1"), List.of())),
                (plugin, node, cn) -> Optional.empty(), (node, cn, link) -> links.serve(node, link), RelayLimits.DEFAULTS);
        var tls = RelayTls.client(ca.issueAgent("node-agent"));
        folders = new NodeFolders(dir.resolve("nodes"));
        posts = new PluginPosts(folders, NODE, (pluginId, plugin, onClosed) -> {
            throw new java.io.IOException("no relay in this test");
        });
        NodeContainers containers = new NodeContainers() {
            @Override
            public Optional<String> containerOf(String serviceId) {
                return "svc1".equals(serviceId) ? Optional.of("abc") : Optional.empty();
            }

            @Override
            public long pidOf(String containerId) {
                return 0;
            }

            @Override
            public void forget(String serviceId, String containerId) {
            }
        };
        link = new ControlLink(() -> RelayClient.connect(new InetSocketAddress("127.0.0.1", relay.port()),
                tls, RelayHeader.control(NODE), WAIT), posts,
                Optional.of(new NodeStats(containers, dir.resolve("cg"), dir.resolve("proc"))),
                Optional.of(new NodeLimits(containers, new NodeLimits.Engine() {
                    @Override
                    public long memoryOf(String containerId) {
                        return 0;
                    }

                    @Override
                    public void update(String containerId, NodeLimits.Update update) {
                        if (update.memoryBytes() < 8L << 20) {
                            throw new IllegalArgumentException("Status 409: memory below what is in use");
                        }
                        limitUpdates.add(containerId + " " + update);
                    }
                })));
        agent = Thread.ofVirtual().start(() -> {
            try {
                link.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 200 && links.nodes().isEmpty(); i++) {
            Thread.sleep(25);
        }
        assertThat(links.nodes()).containsExactly(NODE);
        links.onEvent((node, event) -> events.add(node + " " + event.path("kind").asText() + " "
                + event.path("pluginId").asText()));
    }

    @AfterEach
    void unlink() {
        agent.interrupt();
        relay.close();
        links.close();
        posts.close();
    }

    @Test
    void shouldFillThePluginsCodeFolderAndOpenItsSocketOnTheNodeWhenOrdered() throws Exception {
        Map<String, byte[]> code = Map.of("main.py", bytes("print(1)"), "lib/util.py", bytes("X = 2"));

        assertThat(links.prepare("p1", 20_001, code, WAIT)).containsExactly(NODE);

        Path plugin = folders.onNode(NODE, PluginSlot.first("p1"));
        assertThat(plugin.resolve("code/main.py")).hasContent("print(1)");
        assertThat(plugin.resolve("code/lib/util.py")).hasContent("X = 2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(plugin.resolve("code/main.py"))))
                .as("readable by the plugin, writable by no one but the agent").isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(plugin.resolve("code/lib"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(plugin.resolve("ipc/host.sock")).exists();
        assertThat(posts.size()).isEqualTo(1);
    }

    @Test
    void shouldGiveAnAgentStartedAnewOnItsNodeEveryPluginPreparedSoFar() throws Exception {
        links.prepare("p1", 20_001, Map.of("main.py", bytes("print(1)")), WAIT);
        links.prepare("p2", 20_002, Map.of("main.py", bytes("print(2)")), WAIT);
        links.forget("p2", WAIT);
        // the swarm replaced the node's agent (its node was away): the new process holds no plugin
        agent.interrupt();
        posts.close();
        Path stale = folders.onNode(NODE, PluginSlot.first("p1")).resolve("ipc/host.sock");
        PluginPosts fresh = new PluginPosts(folders, NODE, (pluginId, plugin, onClosed) -> {
            throw new java.io.IOException("no relay in this test");
        });
        var tls = RelayTls.client(ClusterCa.loadOrCreate(dir.resolve("ca")).issueAgent("node-agent"));
        ControlLink again = new ControlLink(() -> RelayClient.connect(new InetSocketAddress("127.0.0.1",
                relay.port()), tls, RelayHeader.control(NODE), WAIT), fresh, Optional.empty(), Optional.empty());
        Thread second = Thread.ofVirtual().start(() -> {
            try {
                again.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            for (int i = 0; i < 200 && fresh.size() < 1; i++) {
                Thread.sleep(25);
            }
            assertThat(fresh.size()).as("p1 prepared again on the new agent, p2 (forgotten) not").isEqualTo(1);
            assertThat(stale).as("its socket bound anew").exists();
            assertThat(folders.onNode(NODE, PluginSlot.first("p1")).resolve("code/main.py")).hasContent("print(1)");
            assertThat(folders.onNode(NODE, PluginSlot.first("p2"))).doesNotExist();
        } finally {
            second.interrupt();
            fresh.close();
        }
    }

    @Test
    void shouldReplaceThePluginsCodeWhenPreparedAgain() throws Exception {
        links.prepare("p1", 20_001, Map.of("old.py", bytes("old")), WAIT);

        links.prepare("p1", 20_001, Map.of("new.py", bytes("new")), WAIT);

        Path code = folders.onNode(NODE, PluginSlot.first("p1")).resolve("code");
        assertThat(code.resolve("old.py")).doesNotExist();
        assertThat(code.resolve("new.py")).hasContent("new");
    }

    @Test
    void shouldKeepAPluginsDataFolderOnItsNodeWhenForgottenAndRemoveItWhenReleased() throws Exception {
        links.prepare("p1", 20_001, Map.of("main.py", bytes("x")), WAIT);
        links.prepareData(NODE, "p1", 20_001, true, WAIT);
        Path data = folders.dataOnNode(NODE, "p1");
        Files.writeString(data.resolve("notes.txt"), "kept");

        links.forget("p1", WAIT);
        assertThat(data.resolve("notes.txt")).hasContent("kept");

        links.release(NODE, "p1", WAIT);
        assertThat(folders.onNode(NODE, PluginSlot.first("p1"))).doesNotExist();
        assertThatThrownBy(() -> links.prepareData("zzzzzzzzzzzzzzzzzzzzzzzz9", "p1", 20_001, true, WAIT))
                .isInstanceOf(AgentOrderException.class).hasMessageContaining("not linked");
        assertThatThrownBy(() -> links.prepareData(NODE, "p1", 0, true, WAIT))
                .isInstanceOf(AgentOrderException.class).hasMessageContaining("uid");
    }

    @Test
    void shouldRefuseCodeThatWouldLeaveThePluginsFolderAndWriteNothing() {
        assertThatThrownBy(() -> links.prepare("p1", 20_001, Map.of("../../escape.py", bytes("x")), WAIT))
                .isInstanceOf(AgentOrderException.class).hasMessage("prepare of plugin p1: node " + NODE + " refused it")
                .extracting(e -> ((AgentOrderException) e).detail()).asString().contains("not a code path");

        assertThat(folders.root().resolve(NODE).resolve("escape.py")).doesNotExist();
        assertThat(folders.root().resolve("escape.py")).doesNotExist();
        assertThat(posts.size()).isZero();
    }

    @Test
    void shouldRefuseAPluginIdThatIsAPathAndRootAsItsUser() {
        assertThatThrownBy(() -> links.prepare("../p1", 20_001, Map.of("a.py", bytes("x")), WAIT))
                .isInstanceOf(AgentOrderException.class)
                .extracting(e -> ((AgentOrderException) e).detail()).asString().contains("not a plugin id");
        assertThatThrownBy(() -> links.prepare("p1", 0, Map.of("a.py", bytes("x")), WAIT))
                .isInstanceOf(AgentOrderException.class)
                .extracting(e -> ((AgentOrderException) e).detail()).asString().contains("uid 0");
        assertThat(posts.size()).isZero();
    }

    @Test
    void shouldRemoveThePluginsFoldersFromTheNodeWhenToldToForgetIt() throws Exception {
        links.prepare("p1", 20_001, Map.of("main.py", bytes("x")), WAIT);

        assertThat(links.forget("p1", WAIT)).containsExactly(NODE);

        assertThat(folders.onNode(NODE, PluginSlot.first("p1"))).doesNotExist();
        assertThat(posts.size()).isZero();
    }

    @Test
    void shouldPrepareAndForgetAPluginsNextSlotBesideItsFirstWithoutTouchingIt() throws Exception {
        links.prepare("p1", 20_001, Map.of("main.py", bytes("version 1")), WAIT);

        assertThat(links.prepare("p1", true, 20_001, Map.of("main.py", bytes("version 2")), false, WAIT))
                .containsExactly(NODE);

        assertThat(folders.onNode(NODE, PluginSlot.first("p1")).resolve("code/main.py")).hasContent("version 1");
        assertThat(folders.onNode(NODE, new PluginSlot("p1", true)).resolve("code/main.py")).hasContent("version 2");
        assertThat(folders.onNode(NODE, new PluginSlot("p1", true)).resolve("ipc/host.sock")).exists();
        assertThat(posts.size()).isEqualTo(2);

        links.forget("p1", WAIT); // the old version's service is gone: only its slot is forgotten
        assertThat(folders.onNode(NODE, PluginSlot.first("p1"))).doesNotExist();
        assertThat(folders.onNode(NODE, new PluginSlot("p1", true)).resolve("ipc/host.sock")).exists();
        links.forget("p1", true, WAIT);
        assertThat(folders.onNode(NODE, new PluginSlot("p1", true))).doesNotExist();
        assertThat(posts.size()).isZero();
    }

    @Test
    void shouldCutOffALinkThatAnswersWithAFrameOverItsBound() throws Exception {
        String other = "n0de2d0f7hetestsw4rm00002";
        try (var socket = linkAnAgentThatAnswersNothing(other)) {
            var out = socket.getOutputStream();
            int size = AgentLinks.MAX_ANSWER + 1;
            out.write(new byte[]{(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
            out.flush();
            for (int i = 0; i < 200 && links.nodes().contains(other); i++) {
                Thread.sleep(25);
            }
            assertThat(links.nodes()).as("announced more than an answer may be: cut off").doesNotContain(other)
                    .contains(NODE);
            assertThat(socket.getInputStream().read()).as("closed").isEqualTo(-1);
        }
    }

    @Test
    void shouldDropALinkThatFallsSilent() throws Exception {
        String other = "n0de3d0f7hetestsw4rm00003";
        try (var socket = linkAnAgentThatAnswersNothing(other)) {
            // this "agent" reads nothing and answers no ping
            long silentMs = AgentLinks.SILENT_FOR.toMillis() + 3 * AgentLinks.PING_EVERY.toMillis();
            for (int i = 0; i < silentMs / 50 && links.nodes().contains(other); i++) {
                Thread.sleep(50);
            }
            assertThat(links.nodes()).as("a silent link no longer counts").doesNotContain(other).contains(NODE);
        }
    }

    /** A control link of {@code node} whose "agent" is the test: it sends and answers nothing by itself. */
    private javax.net.ssl.SSLSocket linkAnAgentThatAnswersNothing(String node) throws Exception {
        var ca = ClusterCa.loadOrCreate(dir.resolve("ca"));
        var socket = RelayClient.connect(new InetSocketAddress("127.0.0.1", relay.port()),
                RelayTls.client(ca.issueAgent("node-agent")), RelayHeader.control(node), WAIT);
        for (int i = 0; i < 200 && !links.nodes().contains(node); i++) {
            Thread.sleep(25);
        }
        assertThat(links.nodes()).contains(node);
        return socket;
    }

    @Test
    void shouldKeepWhatAnAgentSaidOutOfTheFailuresMessageAndLogItCut() throws Exception {
        links.close(); // only the test's own "agent" below is linked
        AgentLinks alone = new AgentLinks();
        RelayServer other = RelayServer.start(new InetSocketAddress("127.0.0.1", 0),
                RelayTls.server(ClusterCa.loadOrCreate(dir.resolve("ca")).issueServer("control-plane",
                        List.of("127.0.0.1"), List.of())),
                (plugin, node, cn) -> Optional.empty(), (node, cn, s) -> alone.serve(node, s), RelayLimits.DEFAULTS);
        String node = "n0de5d0f7hetestsw4rm00005";
        String engineBlob = "Status 500: {\"message\":\"io.netty.Foo: " + "x".repeat(5000) + "\"}\n\u001b[31m";
        try (var socket = RelayClient.connect(new InetSocketAddress("127.0.0.1", other.port()),
                RelayTls.client(ClusterCa.loadOrCreate(dir.resolve("ca")).issueAgent("node-agent")),
                RelayHeader.control(node), WAIT)) {
            for (int i = 0; i < 200 && alone.nodes().isEmpty(); i++) {
                Thread.sleep(25);
            }
            Thread.ofVirtual().start(() -> answerEveryPrepare(socket, engineBlob));

            assertThatThrownBy(() -> alone.prepare("p1", 20_001, Map.of("a.py", bytes("x")), WAIT))
                    .isInstanceOf(AgentOrderException.class)
                    .hasMessage("prepare of plugin p1: node " + node + " refused it")
                    .satisfies(e -> assertThat(((AgentOrderException) e).detail())
                            .contains("Status 500").doesNotContain("\n", "\u001b").hasSizeLessThan(400));
        } finally {
            other.close();
            alone.close();
        }
    }

    /** A raw agent: answers every order {@code failed} with {@code message}. */
    private static void answerEveryPrepare(javax.net.ssl.SSLSocket socket, String message) {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        try {
            var in = new java.io.DataInputStream(socket.getInputStream());
            var out = socket.getOutputStream();
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                var order = mapper.readTree(frame);
                byte[] answer = mapper.writeValueAsBytes(mapper.createObjectNode().put("type",
                        "ping".equals(order.path("type").asText()) ? "pong" : "failed")
                        .put("ref", order.path("ref").asLong()).put("message", message));
                synchronized (out) {
                    new java.io.DataOutputStream(out).writeInt(answer.length);
                    out.write(answer);
                    out.flush();
                }
            }
        } catch (java.io.IOException e) {
            // the test ended the link
        }
    }

    @Test
    void shouldAnswerAStatsOrderWithTheReadingOfTheServicesContainerFromTheNodesCgroupFiles() throws Exception {
        String d = "cg/%s/docker/abc/";
        write(d.formatted("memory") + "memory.usage_in_bytes", "10485760\n");
        write(d.formatted("memory") + "memory.stat", "total_inactive_file 2097152\n");
        write(d.formatted("memory") + "memory.limit_in_bytes", "134217728\n");
        write(d.formatted("memory") + "memory.failcnt", "0\n");
        write(d.formatted("cpuacct") + "cpuacct.usage", "5000\n");
        write(d.formatted("cpu") + "cpu.stat", "nr_throttled 2\n");
        write(d.formatted("pids") + "pids.current", "3\n");
        write(d.formatted("pids") + "pids.max", "64\n");
        write(d.formatted("blkio") + "blkio.throttle.io_service_bytes_recursive", "8:0 Read 1\n8:0 Write 2\n");

        var answer = links.stats("p1", "svc1", WAIT).orElseThrow();

        assertThat(answer.getKey()).isEqualTo(NODE);
        var stats = io.logomesh.host.container.ContainerStatsJson.fromJson(answer.getValue(), "node " + NODE + ": ");
        assertThat(stats.source()).isEqualTo("node " + NODE + ": cgroup-v1");
        assertThat(stats.workingSetBytes()).isEqualTo(8L << 20);
        assertThat(stats.memoryLimitBytes()).isEqualTo(128L << 20);
        assertThat(stats.pids()).isEqualTo(3);
        assertThat(stats.pidsLimit()).isEqualTo(64);
        assertThat(stats.cpuThrottledPeriods()).isEqualTo(2);
        assertThat(links.stats("p2", "svc-elsewhere", WAIT)).as("no container of it on this node").isEmpty();
    }

    @Test
    void shouldApplyAnUpdateOrderOnlyWhereTheServicesContainerRunsAndSayWhatTheEngineRefused() {
        var order = new io.logomesh.host.ipc.relay.LimitsOrder("svc1", 96L << 20, 700_000_000L, 64);

        assertThat(links.update(order, WAIT)).contains(NODE);
        assertThat(limitUpdates).containsExactly("abc " + new NodeLimits.Update(96L << 20, 96L << 20,
                700_000_000L, 64L));
        assertThat(links.update(new io.logomesh.host.ipc.relay.LimitsOrder("svc2", 96L << 20, 1, 64), WAIT))
                .as("no container of it on this node").isEmpty();
        assertThatThrownBy(() -> links.update(new io.logomesh.host.ipc.relay.LimitsOrder("svc1", 6L << 20, 1, 64),
                WAIT)).isInstanceOf(AgentOrderException.class).hasMessageContaining(NODE)
                .hasMessageContaining("memory below what is in use");
        assertThat(limitUpdates).hasSize(1);
    }

    @Test
    void shouldCarryTheEnginesEventsThatTheAgentPushesToTheControlPlane() throws Exception {
        link.push(NodeAgent.eventFrame(new NodeEngine.EngineEvent("oom", "p1", "svc1", "abc", 0,
                java.time.Instant.now())));
        link.push(NodeAgent.eventFrame(new NodeEngine.EngineEvent("die", "p1", "svc1", "abc", 137,
                java.time.Instant.now())));

        for (int i = 0; i < 200 && events.size() < 2; i++) {
            Thread.sleep(25);
        }
        assertThat(events).containsExactly(NODE + " oom p1", NODE + " die p1");
    }

    @Test
    void shouldDropTheEventsOfANodeBeyondItsRate() throws Exception {
        String other = "n0de4d0f7hetestsw4rm00004";
        try (var socket = linkAnAgentThatAnswersNothing(other)) {
            var out = socket.getOutputStream();
            byte[] event = "{\"type\":\"event\",\"kind\":\"die\",\"pluginId\":\"px\"}"
                    .getBytes(StandardCharsets.UTF_8);
            int sent = AgentLinks.EVENTS_BURST * 3;
            for (int i = 0; i < sent; i++) {
                int n = event.length;
                out.write(new byte[]{(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
                out.write(event);
            }
            out.flush();
            for (int i = 0; i < 200 && events.size() < AgentLinks.EVENTS_BURST; i++) {
                Thread.sleep(25);
            }
            Thread.sleep(200);
            assertThat(events.size()).as("the burst, and what the rate refilled meanwhile")
                    .isBetween(AgentLinks.EVENTS_BURST, AgentLinks.EVENTS_BURST + 2 * AgentLinks.EVENTS_PER_SECOND)
                    .isLessThan(sent);
            assertThat(links.nodes()).as("still linked: dropping is not a fault").contains(other);
        }
    }

    private void write(String path, String content) throws java.io.IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void shouldSayWhenNoAgentIsLinked() {
        assertThatThrownBy(() -> new AgentLinks().prepare("p1", 20_001, Map.of(), WAIT))
                .isInstanceOf(AgentOrderException.class).hasMessageContaining("no node agent");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
