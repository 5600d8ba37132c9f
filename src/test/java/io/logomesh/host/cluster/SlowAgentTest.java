package io.logomesh.host.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.container.ContainerStats;
import io.logomesh.host.container.ContainerStatsJson;
import io.logomesh.host.ipc.relay.AgentLinks;
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

import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node agent that is linked but slow (it answers pings, and its orders only after {@link #SLOW}) delays only its
 * own plugins' grants and readings ({@link NodeResources}, {@link NodeStatsSource} over real control links): an
 * order asked of every node returns once the node with the container has answered, and once a node is known to run
 * a service's container its orders go to that node alone.
 */
@Timeout(60)
class SlowAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long the slow agent takes to answer an order (well under the orders' timeouts, 2 s and 10 s). */
    private static final long SLOW_MS = 1_800;
    /** What an order answered by a fast node may take at most here. */
    private static final long FAST_MS = 900;
    private static final String FAST = "n0de1d0f7hetestsw4rm00001";
    private static final String SLOW = "n0de2d0f7hetestsw4rm00002";
    private static final String GB = "1073741824";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final AgentLinks links = new AgentLinks();
    private final List<SSLSocket> agents = new ArrayList<>();
    /** "node type" → orders of that type the node received. */
    private final Map<String, AtomicInteger> orders = new ConcurrentHashMap<>();
    /** Node → the services whose container it runs. */
    private final Map<String, Set<String>> runs = new ConcurrentHashMap<>();
    private final ServiceNodes serviceNodes = new ServiceNodes();
    private RelayServer relay;

    @BeforeEach
    void linkTwoAgents() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("ca"));
        relay = RelayServer.start(new InetSocketAddress("127.0.0.1", 0),
                RelayTls.server(ca.issueServer("control-plane", List.of("127.0.0.1"), List.of())),
                (plugin, node, cn) -> Optional.empty(), (node, cn, link) -> links.serve(node, link),
                RelayLimits.DEFAULTS);
        for (String node : List.of(FAST, SLOW)) {
            runs.put(node, ConcurrentHashMap.newKeySet());
            link(ca, node, node.equals(SLOW) ? SLOW_MS : 0);
        }
    }

    @AfterEach
    void close() throws IOException {
        for (SSLSocket agent : agents) {
            agent.close();
        }
        links.close();
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void shouldApplyAGrantOnTheFastNodeWithoutWaitingForTheSlowOne() {
        runs.get(FAST).add("svc1");
        NodeResources resources = new NodeResources(links, 64, serviceNodes);

        long took = timed(() -> resources.update("svc1", Long.parseLong(GB), 50));

        assertThat(took).as("not held up by the slow agent's answer").isLessThan(FAST_MS);
        assertThat(count(FAST, "update")).isEqualTo(1);
        assertThat(serviceNodes.of("svc1")).as("remembered for the next order").contains(FAST);

        timed(() -> resources.update("svc1", Long.parseLong(GB) / 2, 50));
        assertThat(count(SLOW, "update")).as("the second order goes to the fast node alone").isEqualTo(1);
        assertThat(count(FAST, "update")).isEqualTo(2);
    }

    @Test
    void shouldReadAPluginsCountersOnTheFastNodeWithoutWaitingForTheSlowOne() {
        runs.get(FAST).add("svc1");
        NodeStatsSource stats = new NodeStatsSource(links, serviceNodes);

        long[] took = new long[1];
        took[0] = timed(() -> assertThat(stats.read("svc1").source()).isEqualTo("node " + FAST + ": cgroup-v1"));

        assertThat(took[0]).as("the first reading asks both, answered by the fast one").isLessThan(FAST_MS);
        NodeResources resources = new NodeResources(links, 64, serviceNodes);
        assertThat(timed(() -> resources.update("svc1", Long.parseLong(GB), 50))).isLessThan(FAST_MS);
        assertThat(count(SLOW, "update")).as("the reading told where the container runs").isZero();
    }

    @Test
    void shouldWaitForTheSlowNodeOnlyForThePluginItRuns() {
        runs.get(SLOW).add("svc2");
        NodeResources resources = new NodeResources(links, 64, serviceNodes);

        long took = timed(() -> resources.update("svc2", Long.parseLong(GB), 50));

        assertThat(took).as("its own plugin waits for it").isGreaterThanOrEqualTo(SLOW_MS - 100);
        assertThat(serviceNodes.of("svc2")).contains(SLOW);
    }

    @Test
    void shouldAskEveryNodeAgainWhenTheContainerLeftTheNodeLastSeenRunningIt() {
        serviceNodes.ranOn("svc1", SLOW);
        runs.get(FAST).add("svc1"); // the task moved

        new NodeResources(links, 64, serviceNodes).update("svc1", Long.parseLong(GB), 50);

        assertThat(count(SLOW, "update")).as("asked first, said absent, then asked with the rest").isEqualTo(2);
        assertThat(serviceNodes.of("svc1")).contains(FAST);
    }

    private int count(String node, String type) {
        return orders.computeIfAbsent(node + " " + type, k -> new AtomicInteger()).get();
    }

    private static long timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** A raw agent of {@code node}: answers pings at once, stats and update orders after {@code delayMs}. */
    private void link(ClusterCa ca, String node, long delayMs) throws Exception {
        SSLSocket socket = RelayClient.connect(new InetSocketAddress("127.0.0.1", relay.port()),
                RelayTls.client(ca.issueAgent("node-agent")), RelayHeader.control(node), WAIT);
        agents.add(socket);
        Thread.ofVirtual().start(() -> answer(node, socket, delayMs));
        for (int i = 0; i < 200 && !links.nodes().contains(node); i++) {
            Thread.sleep(25);
        }
        assertThat(links.nodes()).contains(node);
    }

    private void answer(String node, SSLSocket socket, long delayMs) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                var order = JSON.readTree(frame);
                String type = order.path("type").asText();
                var answer = JSON.createObjectNode().put("ref", order.path("ref").asLong());
                boolean has = runs.get(node).contains(order.path("serviceId").asText());
                switch (type) {
                    case "stats" -> {
                        if (has) {
                            answer.put("type", "stats").set("stats", ContainerStatsJson.toJson(new ContainerStats(
                                    "cgroup-v1", Instant.now(), System.nanoTime(), 1, 0, 2, 0, 3, 0, 1, 64, 0, 0, 0,
                                    0)));
                        } else {
                            answer.put("type", "absent");
                        }
                    }
                    case "update" -> answer.put("type", has ? "updated" : "absent");
                    default -> answer.put("type", "pong");
                }
                orders.computeIfAbsent(node + " " + type, k -> new AtomicInteger()).incrementAndGet();
                long delay = "ping".equals(type) ? 0 : delayMs;
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(delay);
                        byte[] bytes = JSON.writeValueAsBytes(answer);
                        synchronized (out) {
                            out.writeInt(bytes.length);
                            out.write(bytes);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        // the test ended the link
                    }
                });
            }
        } catch (IOException e) {
            // the test ended the link
        }
    }
}
