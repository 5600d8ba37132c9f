package io.logomesh.host.container.docker.swarm;

import io.logomesh.host.container.ContainerSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginSlotTest {

    /** What the swarm manager accepts as a service name (swarmkit's controlapi: a DNS label, at most 63). */
    /** The first slot's node folder of {@code weather}: {@code _} and the SHA-256 of "weather" in base 32, cut. */
    private static final String WEATHER_FOLDER = "_4xtsx22ohrusnu64ty7c";
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*");

    private static ContainerSpec spec(String pluginId, Path ipcDir) {
        return new ContainerSpec(pluginId, "logomesh-runtime-nodejs:latest", 20001, Path.of("/host/code"), ipcDir,
                Optional.empty(), Map.of(), 64L << 20, 50, 64, 256, 16L << 20, "1m", 2);
    }

    @Test
    void shouldTellTheSlotFromTheSpecsIpcFolderAsTheSingleHostAlternatesThem() {
        assertThat(PluginSlot.of(spec("p1", Path.of("/data/ipc/p1")))).isEqualTo(PluginSlot.first("p1"));
        assertThat(PluginSlot.of(spec("p1", Path.of("/data/ipc/p1.next")))).isEqualTo(new PluginSlot("p1", true));
        assertThat(PluginSlot.of(spec("p1", Path.of("/data/ipc/p2.next")))).as("another plugin's folder is not its next")
                .isEqualTo(PluginSlot.first("p1"));
    }

    @Test
    void shouldNameEachSlotsFolderServiceAndLabelApart() {
        PluginSlot first = PluginSlot.first("weather");
        PluginSlot next = new PluginSlot("weather", true);

        assertThat(first.folderName()).isEqualTo("weather");
        assertThat(next.folderName()).isEqualTo("weather.next");
        assertThat(first.serviceName()).isEqualTo("logomesh-weather");
        assertThat(next.serviceName()).isEqualTo("logomesh-weather_2");
        assertThat(first.labelValue()).isEqualTo("first");
        assertThat(next.labelValue()).isEqualTo("next");
        assertThat(PluginSlot.parse(next.folderName())).isEqualTo(next);
        assertThat(PluginSlot.parse(first.folderName())).isEqualTo(first);
    }

    @Test
    void shouldNeverGiveTwoPluginsSlotsOneNameNorAServiceNameTheSwarmRefuses() {
        // "a-2" and "a"'s next slot, "a-next" and "a"'s next folder: plugin ids have no '_' and no '.'
        assertThat(new PluginSlot("a", true).serviceName()).isNotEqualTo(PluginSlot.first("a-2").serviceName());
        assertThat(new PluginSlot("a", true).folderName()).isNotEqualTo(PluginSlot.first("a-next").folderName());
        java.util.Set<String> names = new java.util.HashSet<>();
        String[] ids = {"a".repeat(50), "a".repeat(49) + "-", "p-", "p--", "p", "p-1", "p-2", "-p", "---", "a--b",
            "agent-", "agent-p", "agent", "agent-p-"};
        for (String id : ids) {
            for (PluginSlot slot : List.of(PluginSlot.first(id), new PluginSlot(id, true))) {
                String name = slot.serviceName();
                assertThat(name.length()).as(name).isLessThanOrEqualTo(63);
                assertThat(SERVICE_NAME.matcher(name).matches()).as(name).isTrue();
                assertThat(names.add(name)).as("no other slot is named " + name).isTrue();
            }
        }
    }

    @Test
    void shouldNameTheFirstSlotOfAnIdEndingInADashOrBeginningWithAgentApart() {
        assertThat(PluginSlot.first("p-").serviceName()).as("the swarm refuses logomesh-p-").isEqualTo("logomesh-p-_1");
        assertThat(new PluginSlot("p-", true).serviceName()).isEqualTo("logomesh-p-_2");
        String node = "k2n3jw8tq1z9x0v4m5r6s7u8y";
        assertThat(PluginSlot.first("agent-" + node).serviceName()).as("never a node agent's service")
                .isEqualTo("logomesh-agent-" + node + "_1").isNotEqualTo(SwarmAgentSpec.NAME + node);
        assertThat(PluginSlot.first("weather").serviceName()).as("every other id keeps logomesh-<id>")
                .isEqualTo("logomesh-weather");
        assertThat(PluginSlot.first("my-agent-p").serviceName()).isEqualTo("logomesh-my-agent-p");
    }

    @Test
    void shouldGiveEverySlotANodeFolderOfOneShortLengthThatIsNoPluginId() {
        Pattern pluginId = Pattern.compile("[a-z0-9-]{3,50}"); // the manifest schema's id
        java.util.Set<String> folders = new java.util.HashSet<>();
        for (String id : new String[] {"abc", "a".repeat(50), "a".repeat(49) + "-", "p1", "p1-next"}) {
            for (PluginSlot slot : List.of(PluginSlot.first(id), new PluginSlot(id, true))) {
                String folder = slot.nodeFolderName();
                assertThat(folder).as(slot.toString()).hasSize(PluginSlot.NODE_FOLDER_CHARS).matches("_[a-z2-7]+");
                assertThat(pluginId.matcher(folder).matches()).as("never a plugin's data folder").isFalse();
                assertThat(folders.add(folder)).as(slot + "'s folder is its own").isTrue();
                assertThat(slot.nodeFolderName()).as("the same on every node and every start").isEqualTo(folder);
            }
        }
        assertThat(PluginSlot.first("weather").nodeFolderName()).as("SHA-256 of 'weather', base 32")
                .isEqualTo(WEATHER_FOLDER);
    }

    @Test
    void shouldReadTheSlotFromAServicesLabelsTheFirstWhenItHasNone() {
        assertThat(PluginSlot.ofLabels(Map.of("io.logomesh.plugin", "p1", PluginSlot.LABEL, "next")))
                .contains(new PluginSlot("p1", true));
        assertThat(PluginSlot.ofLabels(Map.of("io.logomesh.plugin", "p1", PluginSlot.LABEL, "first")))
                .contains(PluginSlot.first("p1"));
        assertThat(PluginSlot.ofLabels(Map.of("io.logomesh.plugin", "p1"))).contains(PluginSlot.first("p1"));
        assertThat(PluginSlot.ofLabels(Map.of("io.logomesh.component", "node-agent"))).isEmpty();
        assertThat(PluginSlot.ofLabels(Map.of("io.logomesh.plugin", "../p1"))).isEmpty();
    }

    @Test
    void shouldRefuseAFolderNameThatIsNoPluginsSlot() {
        assertThatThrownBy(() -> PluginSlot.parse("../p1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PluginSlot.parse("p1.next.next")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PluginSlot.parse(".next")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PluginSlot.parse("p1/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
