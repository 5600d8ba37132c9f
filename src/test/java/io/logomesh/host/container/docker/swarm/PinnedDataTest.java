package io.logomesh.host.container.docker.swarm;

import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.container.NodeRefusedException;
import io.logomesh.host.container.NodeUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PinnedDataTest {

    private static final String N1 = "aaaaaaaaaaaaaaaaaaaaaaaa1";
    private static final String N2 = "bbbbbbbbbbbbbbbbbbbbbbbb2";

    @TempDir
    Path dir;

    private final Map<String, WorkerStatus> workers = new ConcurrentHashMap<>(Map.of(
            N1, new WorkerStatus(N1, "worker1", "ready", "active"),
            N2, new WorkerStatus(N2, "worker2", "ready", "active")));
    private final Nodes nodes = new Nodes();

    /** The nodes' agents as a recording fake: linked ones answer, the others fail as the real links do. */
    private static final class Nodes implements PluginNodes {
        final Set<String> linked = ConcurrentHashMap.newKeySet();
        final List<String> orders = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;

        @Override
        public void prepare(String pluginId, int uid, Map<String, byte[]> files, Duration timeout) {
        }

        @Override
        public void forget(String pluginId) {
        }

        @Override
        public Set<String> linked() {
            return Set.copyOf(linked);
        }

        @Override
        public void prepareData(String nodeId, String pluginId, int uid, boolean fresh, Duration timeout) {
            orders.add("data " + pluginId + " " + uid + " on " + nodeId + (fresh ? " fresh" : ""));
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void release(String nodeId, String pluginId, Duration timeout) {
            orders.add("release " + pluginId + " on " + nodeId);
            if (failure != null) {
                throw failure;
            }
        }
    }

    private PinnedData data(NodePins pins) {
        return new PinnedData(() -> Map.copyOf(workers), nodes, pins);
    }

    @Test
    void shouldPinAFirstPlacementToAnAvailableLinkedNodeAndBringEveryLaterStartBackToIt() {
        nodes.linked.add(N2);
        NodePins pins = NodePins.load(dir);

        assertThat(data(pins).place("notes", 20_001)).as("the only worker whose agent is linked").isEqualTo(N2);
        nodes.linked.add(N1);
        assertThat(data(NodePins.load(dir)).place("notes", 20_001)).as("after a restart of the host too")
                .isEqualTo(N2);

        assertThat(nodes.orders).containsExactly("data notes 20001 on " + N2 + " fresh", "data notes 20001 on " + N2);
        assertThat(NodePins.load(dir).nodeOf("notes")).contains(N2);
    }

    @Test
    void shouldFailAtOnceNamingTheNodeWhenThePinnedNodeIsDownPausedOrUnlinked() {
        nodes.linked.addAll(Set.of(N1, N2));
        NodePins pins = NodePins.load(dir);
        pins.pin("notes", N1);
        PinnedData data = data(pins);

        workers.put(N1, new WorkerStatus(N1, "worker1", "down", "active"));
        assertThatThrownBy(() -> data.place("notes", 20_001)).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining(N1).hasMessageContaining("worker1").hasMessageContaining("down")
                .extracting(e -> ((NodeUnavailableException) e).code()).isEqualTo("node_unavailable");
        workers.put(N1, new WorkerStatus(N1, "worker1", "ready", "pause"));
        assertThatThrownBy(() -> data.place("notes", 20_001)).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("pause");
        workers.put(N1, new WorkerStatus(N1, "worker1", "ready", "active"));
        nodes.linked.remove(N1);
        assertThatThrownBy(() -> data.place("notes", 20_001)).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("no node agent linked");
        workers.remove(N1);
        assertThatThrownBy(() -> data.place("notes", 20_001)).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("no longer a worker");

        assertThat(nodes.orders).as("never moved to the other node, nor ordered there").isEmpty();
        assertThat(pins.nodeOf("notes")).contains(N1);
    }

    @Test
    void shouldFailAFirstPlacementWhenNoWorkerCanHoldTheData() {
        nodes.linked.add(N1);
        workers.put(N1, new WorkerStatus(N1, "worker1", "ready", "drain"));
        NodePins pins = NodePins.load(dir);

        assertThatThrownBy(() -> data(pins).place("notes", 20_001)).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("no worker");
        assertThat(pins.all()).isEmpty();
    }

    @Test
    void shouldNotPinWhenTheNodeCouldNotPrepareTheFolderAndCallItTheNodesRefusal() {
        nodes.linked.add(N1);
        nodes.failure = new IllegalStateException("disk full");
        NodePins pins = NodePins.load(dir);

        assertThatThrownBy(() -> data(pins).place("notes", 20_001)).isInstanceOf(NodeRefusedException.class)
                .isInstanceOf(ContainerEngineException.class).hasMessageContaining("disk full").hasMessageContaining(N1)
                .extracting(e -> ((NodeRefusedException) e).code()).isEqualTo("node_refused");
        assertThat(pins.all()).isEmpty();
    }

    @Test
    void shouldPassOnOnlyTheEnginesSentenceWhenThePinnedNodeRefusesTheFolder() {
        nodes.linked.add(N1);
        NodePins pins = NodePins.load(dir);
        pins.pin("notes", N1);
        nodes.failure = new IllegalStateException("java.nio.file.AccessDeniedException: Status 500: "
                + "{\"message\":\"mkdir /data: read-only file system\"}");

        assertThatThrownBy(() -> data(pins).place("notes", 20_001)).isInstanceOf(NodeRefusedException.class)
                .hasMessageContaining("read-only file system").hasMessageNotContaining("{")
                .hasMessageNotContaining("Status 500").hasMessageNotContaining("AccessDeniedException");
    }

    @Test
    void shouldCallAPinnedNodeThatIsAwayUnavailableAsTheEnginesSideNotALaunchFailure() {
        nodes.linked.add(N2);
        NodePins pins = NodePins.load(dir);
        pins.pin("notes", N1);

        assertThatThrownBy(() -> data(pins).place("notes", 20_001)).isInstanceOf(NodeUnavailableException.class)
                .isInstanceOf(ContainerEngineException.class).isNotInstanceOf(ContainerLaunchException.class);
    }

    @Test
    void shouldHaveThePinnedNodeDeleteTheDataAtUninstallAndDropThePinEvenWhenTheNodeIsAway() {
        NodePins pins = NodePins.load(dir);
        pins.pin("notes", N1);
        pins.pin("cache", N2);
        PinnedData data = data(pins);

        data.release("notes");
        nodes.failure = new IllegalStateException("not linked");
        data.release("cache");
        data.release("never-pinned");

        assertThat(nodes.orders).containsExactly("release notes on " + N1, "release cache on " + N2);
        assertThat(NodePins.load(dir).all()).isEmpty();
        assertThat(NodePins.load(dir).owed()).containsExactly(new NodePins.Owed("cache", N2));
    }

    @Test
    void shouldHaveANodeThatWasAwayAtAnUninstallDeleteTheFolderOnceItsAgentLinksAgain() {
        NodePins pins = NodePins.load(dir);
        pins.pin("cache", N2);
        pins.pin("notes", N1);
        PinnedData data = data(pins);
        nodes.failure = new IllegalStateException("not linked");
        data.release("cache");
        data.release("notes");
        nodes.failure = null;
        nodes.orders.clear();

        data.settleOwed();
        assertThat(nodes.orders).as("neither agent linked yet").isEmpty();
        nodes.linked.add(N1);
        pins.pin("notes", N1); // installed again and placed on N1 before it settled: its folder is in use
        nodes.linked.add(N2);
        data.settleOwed();

        assertThat(nodes.orders).containsExactly("release cache on " + N2);
        assertThat(NodePins.load(dir).owed()).isEmpty();
        assertThat(NodePins.load(dir).nodeOf("notes")).contains(N1);
    }
}
