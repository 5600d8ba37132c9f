package io.logomesh.host.cluster;

import io.logomesh.host.container.docker.swarm.PluginSlot;
import io.logomesh.host.container.docker.swarm.ServiceTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SlotPlacementTest {

    private static final String OLD_NODE = "aaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String NEW_NODE = "bbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final PluginSlot FIRST = PluginSlot.first("p1");
    private static final PluginSlot NEXT = new PluginSlot("p1", true);

    /** The old version's service (first slot) on one node, the new version's (next slot) on another. */
    private static final Map<String, Map<String, String>> SERVICES = Map.of(
            "svc-old", Map.of("io.logomesh.plugin", "p1", PluginSlot.LABEL, "first"),
            "svc-new", Map.of("io.logomesh.plugin", "p1", PluginSlot.LABEL, "next"),
            "svc-agent", Map.of("io.logomesh.component", "node-agent"));

    private static List<ServiceTask> tasks(String service) {
        return switch (service) {
            case "svc-old" -> List.of(task(OLD_NODE, "running"));
            case "svc-new" -> List.of(task(NEW_NODE, "running"));
            default -> List.of();
        };
    }

    private static ServiceTask task(String node, String desired) {
        return new ServiceTask("t-" + node, Optional.of(node), "running", desired, Optional.empty(), Optional.empty(), 0);
    }

    @Test
    void shouldPlaceEachSlotOnlyOnTheNodeOfItsOwnServicesTask() {
        assertThat(SlotPlacement.placedOn(FIRST, OLD_NODE, SERVICES, SlotPlacementTest::tasks)).isTrue();
        assertThat(SlotPlacement.placedOn(NEXT, NEW_NODE, SERVICES, SlotPlacementTest::tasks)).isTrue();
        assertThat(SlotPlacement.placedOn(NEXT, OLD_NODE, SERVICES, SlotPlacementTest::tasks))
                .as("the old version's node cannot speak for the new version").isFalse();
        assertThat(SlotPlacement.placedOn(FIRST, NEW_NODE, SERVICES, SlotPlacementTest::tasks))
                .as("the new version's node cannot speak for the old version").isFalse();
        assertThat(SlotPlacement.placedOn(PluginSlot.first("p2"), OLD_NODE, SERVICES, SlotPlacementTest::tasks))
                .isFalse();
    }

    @Test
    void shouldTakeAServiceWithoutASlotLabelForTheFirstSlotAndATaskBeingShutDownForNone() {
        Map<String, Map<String, String>> unlabelled = Map.of("svc-old", Map.of("io.logomesh.plugin", "p1"));
        assertThat(SlotPlacement.placedOn(FIRST, OLD_NODE, unlabelled, SlotPlacementTest::tasks)).isTrue();
        assertThat(SlotPlacement.placedOn(NEXT, OLD_NODE, unlabelled, SlotPlacementTest::tasks)).isFalse();

        assertThat(SlotPlacement.placedOn(FIRST, OLD_NODE, SERVICES, s -> List.of(task(OLD_NODE, "shutdown"))))
                .as("a task the orchestrator is shutting down (its service removed)").isFalse();
    }

    @Test
    void shouldRouteEachSlotToItsOwnFoldersSocketOnlyWhileItExists(@TempDir Path ipcRoot) throws Exception {
        assertThat(SlotPlacement.socket(ipcRoot, NEXT, "host.sock")).isEmpty();
        Files.createDirectories(ipcRoot.resolve("p1"));
        Files.createFile(ipcRoot.resolve("p1").resolve("host.sock"));
        Files.createDirectories(ipcRoot.resolve("p1.next"));
        Files.createFile(ipcRoot.resolve("p1.next").resolve("host.sock"));

        assertThat(SlotPlacement.socket(ipcRoot, FIRST, "host.sock")).contains(ipcRoot.resolve("p1/host.sock"));
        assertThat(SlotPlacement.socket(ipcRoot, NEXT, "host.sock")).contains(ipcRoot.resolve("p1.next/host.sock"));
        assertThat(SlotPlacement.socket(ipcRoot, NEXT, "egress.sock")).isEmpty();
    }
}
