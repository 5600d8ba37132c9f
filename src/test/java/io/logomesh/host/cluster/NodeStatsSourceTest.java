package io.logomesh.host.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.container.ContainerStats;
import io.logomesh.host.container.ContainerStatsJson;
import io.logomesh.host.container.StatsUnavailableException;
import io.logomesh.host.ipc.relay.AgentLinks;
import io.logomesh.host.ipc.relay.ClusterCa;
import io.logomesh.host.ipc.relay.RelayClient;
import io.logomesh.host.ipc.relay.RelayHeader;
import io.logomesh.host.ipc.relay.RelayLimits;
import io.logomesh.host.ipc.relay.RelayServer;
import io.logomesh.host.ipc.relay.RelayTls;
import org.junit.jupiter.api.AfterEach;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The monitor's readings in cluster mode ({@link NodeStatsSource}) over real control links: once a node has
 * answered for a service it is asked alone, so a poll costs each node one order per plugin it runs, not one per
 * plugin of the swarm; when the container moved, every node is asked again.
 */
@Timeout(30)
class NodeStatsSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String N1 = "n0de1d0f7hetestsw4rm00001";
    private static final String N2 = "n0de2d0f7hetestsw4rm00002";
    private static final String N3 = "n0de3d0f7hetestsw4rm00003";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final AgentLinks links = new AgentLinks();
    private final List<SSLSocket> agents = new ArrayList<>();
    /** Node → stats orders it received. */
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    /** Node → the services it runs. */
    private final Map<String, Set<String>> runs = new ConcurrentHashMap<>();
    private RelayServer relay;

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
    void shouldAskOnlyTheNodeThatLastAnsweredAndEveryNodeOnceTheContainerMoved() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("ca"));
        relay = RelayServer.start(new InetSocketAddress("127.0.0.1", 0),
                RelayTls.server(ca.issueServer("control-plane", List.of("127.0.0.1"), List.of())),
                (plugin, node, cn) -> Optional.empty(), (node, cn, link) -> links.serve(node, link),
                RelayLimits.DEFAULTS);
        List<String> nodes = List.of(N1, N2, N3);
        for (String node : nodes) {
            runs.put(node, ConcurrentHashMap.newKeySet());
            asked.put(node, new AtomicInteger());
            link(ca, node);
        }
        runs.get(N2).add("svc1");
        NodeStatsSource source = new NodeStatsSource(links);

        for (int i = 0; i < 5; i++) {
            assertThat(source.read("svc1").source()).isEqualTo("node " + N2 + ": cgroup-v1");
        }
        assertThat(asked.get(N1).get()).as("asked once, by the first read").isEqualTo(1);
        assertThat(asked.get(N3).get()).isEqualTo(1);
        assertThat(asked.get(N2).get()).isEqualTo(5);

        runs.get(N2).remove("svc1");
        runs.get(N3).add("svc1"); // the task moved
        assertThat(source.read("svc1").source()).isEqualTo("node " + N3 + ": cgroup-v1");
        assertThat(source.read("svc1").source()).isEqualTo("node " + N3 + ": cgroup-v1");
        assertThat(asked.get(N1).get()).as("every node asked again once").isEqualTo(2);
        assertThat(asked.get(N3).get()).isEqualTo(3);

        runs.get(N3).clear();
        assertThatThrownBy(() -> source.read("svc1")).isInstanceOf(StatsUnavailableException.class);
    }

    /** A raw agent of {@code node}: answers pings, and stats orders from {@link #runs}. */
    private void link(ClusterCa ca, String node) throws Exception {
        SSLSocket socket = RelayClient.connect(new InetSocketAddress("127.0.0.1", relay.port()),
                RelayTls.client(ca.issueAgent("node-agent")), RelayHeader.control(node), WAIT);
        agents.add(socket);
        Thread.ofVirtual().start(() -> answer(node, socket));
        for (int i = 0; i < 200 && !links.nodes().contains(node); i++) {
            Thread.sleep(25);
        }
        assertThat(links.nodes()).contains(node);
    }

    private void answer(String node, SSLSocket socket) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                var order = JSON.readTree(frame);
                var answer = JSON.createObjectNode().put("ref", order.path("ref").asLong());
                if ("stats".equals(order.path("type").asText())) {
                    asked.get(node).incrementAndGet();
                    if (runs.get(node).contains(order.path("serviceId").asText())) {
                        answer.put("type", "stats").set("stats", ContainerStatsJson.toJson(new ContainerStats(
                                "cgroup-v1", Instant.now(), System.nanoTime(), 1, 0, 2, 0, 3, 0, 1, 64, 0, 0, 0, 0)));
                    } else {
                        answer.put("type", "absent");
                    }
                } else {
                    answer.put("type", "pong");
                }
                byte[] bytes = JSON.writeValueAsBytes(answer);
                synchronized (out) {
                    out.writeInt(bytes.length);
                    out.write(bytes);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the test ended the link
        }
    }
}
