package io.logomesh.host.container.docker.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.ContainerSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwarmServiceSpecTest {

    private static final String IMAGE = "sha256:" + "a".repeat(64);
    private static final String NODE = "x2p7kq1hn3v0a9zs8d4m6c5bw";
    private static final NodeFolders FOLDERS = new NodeFolders(Path.of("/var/lib/logomesh-nodes"));
    private static final String P1 = PluginSlot.first("p1").nodeFolderName();
    private static final String P1_NEXT = new PluginSlot("p1", true).nodeFolderName();

    private static ContainerSpec spec(Optional<Path> data) {
        return new ContainerSpec("p1", "logomesh-runtime-nodejs:latest", 20001, Path.of("/host/code"),
                Path.of("/host/ipc"), data, Map.of("B", "2", "A", "1"), 64L << 20, 50, 64, 256, 16L << 20, "1m", 2);
    }

    @Test
    void shouldPutEveryLockdownFieldTheServiceSpecCanHoldIntoTheBody() {
        ObjectNode body = SwarmServiceSpec.of(spec(Optional.empty()), IMAGE, FOLDERS, "h1", Optional.empty());

        assertThat(body.path("Name").asText()).isEqualTo("logomesh-p1");
        assertThat(body.path("Labels").path("io.logomesh.plugin").asText()).isEqualTo("p1");
        assertThat(body.path("Labels").path("io.logomesh.host").asText()).isEqualTo("h1");
        assertThat(body.at("/Mode/Replicated/Replicas").asInt()).isEqualTo(1);
        JsonNode c = body.at("/TaskTemplate/ContainerSpec");
        assertThat(c.path("Image").asText()).as("by id: no node pulls").isEqualTo(IMAGE);
        assertThat(c.path("Labels").path("io.logomesh.plugin").asText()).isEqualTo("p1");
        assertThat(c.path("User").asText()).isEqualTo("20001:20001");
        assertThat(c.path("ReadOnly").asBoolean()).isTrue();
        assertThat(c.path("CapabilityDrop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(c.path("CapabilityAdd").isMissingNode()).isTrue();
        assertThat(c.path("Env").toString()).isEqualTo("[\"A=1\",\"B=2\"]");
        assertThat(names(c.path("Ulimits"), u -> u.path("Name").asText() + "=" + u.path("Soft").asLong() + ":"
                + u.path("Hard").asLong())).containsExactly("nofile=256:256", "core=0:0");
        JsonNode limits = body.at("/TaskTemplate/Resources/Limits");
        assertThat(limits.path("MemoryBytes").asLong()).isEqualTo(64L << 20);
        assertThat(limits.path("NanoCPUs").asLong()).isEqualTo(500_000_000L);
        assertThat(limits.path("Pids").asLong()).isEqualTo(64);
        assertThat(body.at("/TaskTemplate/Networks").size()).as("no network attached").isZero();
        assertThat(body.at("/TaskTemplate/LogDriver/Name").asText()).isEqualTo("json-file");
        assertThat(body.at("/TaskTemplate/LogDriver/Options/max-size").asText()).isEqualTo("1m");
        assertThat(body.at("/TaskTemplate/LogDriver/Options/max-file").asText()).isEqualTo("2");
        assertThat(names(body.at("/TaskTemplate/Placement/Constraints"), JsonNode::asText))
                .containsExactly("node.role==worker");
        assertThat(body.at("/TaskTemplate/RestartPolicy/Condition").asText()).isEqualTo("on-failure");
    }

    @Test
    void shouldMountOnlyThePluginsOwnFoldersOnTheNodeItRunsOnAndATmpfs() {
        JsonNode mounts = SwarmServiceSpec.of(spec(Optional.empty()), IMAGE, FOLDERS, "h1", Optional.empty())
                .at("/TaskTemplate/ContainerSpec/Mounts");

        assertThat(names(mounts, m -> m.path("Type").asText() + " " + m.path("Source").asText() + " -> "
                + m.path("Target").asText() + (m.path("ReadOnly").asBoolean() ? " ro" : " rw"))).containsExactly(
                "bind /var/lib/logomesh-nodes/{{.Node.ID}}/" + P1 + "/code -> /plugin ro",
                "bind /var/lib/logomesh-nodes/{{.Node.ID}}/" + P1 + "/ipc -> /run/logomesh ro",
                "tmpfs  -> /tmp rw");
        JsonNode tmp = mounts.get(2).path("TmpfsOptions");
        assertThat(tmp.path("SizeBytes").asLong()).isEqualTo(16L << 20);
        assertThat(Integer.toOctalString(tmp.path("Mode").asInt())).isEqualTo("1777");
    }

    @Test
    void shouldGiveTheNextSlotItsOwnServiceNameLabelAndNodeFolders() {
        ContainerSpec next = new ContainerSpec("p1", "logomesh-runtime-nodejs:latest", 20001, Path.of("/host/code"),
                Path.of("/host/ipc/p1.next"), Optional.empty(), Map.of(), 64L << 20, 50, 64, 256, 16L << 20, "1m", 2);

        ObjectNode body = SwarmServiceSpec.of(next, IMAGE, FOLDERS, "h1", Optional.empty());

        assertThat(body.path("Name").asText()).isEqualTo("logomesh-p1_2");
        assertThat(body.path("Labels").path(PluginSlot.LABEL).asText()).isEqualTo("next");
        assertThat(body.at("/TaskTemplate/ContainerSpec/Labels").path(PluginSlot.LABEL).asText()).isEqualTo("next");
        assertThat(body.path("Labels").path("io.logomesh.plugin").asText()).as("still the plugin's").isEqualTo("p1");
        assertThat(names(body.at("/TaskTemplate/ContainerSpec/Mounts"), m -> m.path("Source").asText()))
                .containsExactly("/var/lib/logomesh-nodes/{{.Node.ID}}/" + P1_NEXT + "/code",
                        "/var/lib/logomesh-nodes/{{.Node.ID}}/" + P1_NEXT + "/ipc", "");
        assertThat(P1_NEXT).isNotEqualTo(P1);
        assertThat(SwarmServiceSpec.of(spec(Optional.empty()), IMAGE, FOLDERS, "h1", Optional.empty())
                .path("Labels").path(PluginSlot.LABEL).asText()).isEqualTo("first");
    }

    @Test
    void shouldPinAPluginWithDataToItsNodeAndMountItsDataThere() {
        ObjectNode body = SwarmServiceSpec.of(spec(Optional.of(Path.of("/host/data"))), IMAGE, FOLDERS, "h1",
                Optional.of(NODE));

        assertThat(names(body.at("/TaskTemplate/Placement/Constraints"), JsonNode::asText))
                .containsExactly("node.role==worker", "node.id==" + NODE);
        assertThat(body.path("Labels").path(SwarmServiceSpec.PINNED).asText()).isEqualTo(NODE);
        assertThat(names(body.at("/TaskTemplate/ContainerSpec/Mounts"), m -> m.path("Target").asText()
                + (m.path("ReadOnly").asBoolean() ? " ro" : " rw"))).contains("/data rw");
    }

    @Test
    void shouldMountTheDataFolderFromTheNodesDataRootWhenItIsSetApart() {
        NodeFolders apart = new NodeFolders(Path.of("/run/lmn"), Path.of("/srv/lm-data"));
        ObjectNode body = SwarmServiceSpec.of(spec(Optional.of(Path.of("/host/data"))), IMAGE, apart, "h1",
                Optional.of(NODE));

        assertThat(names(body.at("/TaskTemplate/ContainerSpec/Mounts"), m -> m.path("Source").asText() + " -> "
                + m.path("Target").asText() + (m.path("ReadOnly").asBoolean() ? " ro" : " rw"))).contains(
                "/run/lmn/{{.Node.ID}}/" + P1 + "/code -> /plugin ro",
                "/srv/lm-data/{{.Node.ID}}/p1/data -> /data rw");
        assertThat(names(body.at("/TaskTemplate/Placement/Constraints"), JsonNode::asText))
                .containsExactly("node.role==worker", "node.id==" + NODE);
        assertThat(apart.dataOnNode(NODE, "p1")).isEqualTo(Path.of("/srv/lm-data/" + NODE + "/p1/data"));
    }

    @Test
    void shouldRefuseAnImageByNameAndDataWithoutANode() {
        assertThatThrownBy(() -> SwarmServiceSpec.of(spec(Optional.empty()), "logomesh-runtime-nodejs:latest",
                FOLDERS, "h1", Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("by id");
        assertThatThrownBy(() -> SwarmServiceSpec.of(spec(Optional.of(Path.of("/d"))), IMAGE, FOLDERS, "h1",
                Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pinned");
    }

    @Test
    void shouldKeepEachNodesFoldersApartAndRefuseANodeNameThatIsAPath() {
        assertThat(FOLDERS.onNode(NODE, PluginSlot.first("p1")))
                .isEqualTo(Path.of("/var/lib/logomesh-nodes/" + NODE + "/" + P1));
        assertThatThrownBy(() -> FOLDERS.onNode("../etc", PluginSlot.first("p1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeFolders(Path.of("relative"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFitEverySocketOfTheLongestPluginIdInAUnixSocketAddressUnderTheDefaultRoot() {
        NodeFolders defaults = new NodeFolders(Path.of("/run/logomesh-nodes")); // logomesh.cluster.node-root's default
        String longest = "a".repeat(49) + "-"; // the manifest's pattern [a-z0-9-]+, at most 50
        for (PluginSlot slot : List.of(PluginSlot.first(longest), new PluginSlot(longest, true))) {
            for (String socket : List.of("host.sock", "egress.sock")) {
                Path path = defaults.onNode(NODE, slot).resolve("ipc").resolve(socket);
                assertThat(path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).as(path.toString())
                        .isLessThanOrEqualTo(io.logomesh.host.ipc.OwnedSocket.MAX_SOCKET_PATH_BYTES);
                assertThat(defaults.ipcSource(slot)).endsWith("/" + slot.nodeFolderName() + "/ipc");
            }
        }
    }

    @Test
    void shouldRefuseANodeRootTooLongForThePluginsSocketsSayingWhichSetting() {
        String fits = "/" + "r".repeat(NodeFolders.MAX_ROOT_BYTES - 1);
        NodeFolders longest = new NodeFolders(Path.of(fits));
        Path socket = longest.onNode(NODE, new PluginSlot("a".repeat(50), true)).resolve("ipc/egress.sock");
        assertThat(socket.toString().length()).isEqualTo(io.logomesh.host.ipc.OwnedSocket.MAX_SOCKET_PATH_BYTES);

        assertThatThrownBy(() -> new NodeFolders(Path.of(fits + "r"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("logomesh.cluster.node-root").hasMessageContaining("at most "
                        + NodeFolders.MAX_ROOT_BYTES);
        assertThat(new NodeFolders(Path.of("/run/lmn"), Path.of(fits + "/a-long-data-root-has-no-socket")).dataRoot())
                .as("the data root holds no socket").isNotNull();
    }

    private static List<String> names(JsonNode array, java.util.function.Function<JsonNode, String> f) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(f.apply(n)));
        return out;
    }
}
