package io.logomesh.host.container.docker.swarm;

import io.logomesh.host.container.ContainerSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginSlotTest {

    /** What the swarm manager accepts as a service name (swarmkit's controlapi: a DNS label, at most 63). */
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
        for (String id : new String[] {"a".repeat(50), "p-", "-p", "a--b"}) {
            String name = new PluginSlot(id, true).serviceName();
            assertThat(name.length()).as(name).isLessThanOrEqualTo(63);
            assertThat(SERVICE_NAME.matcher(name).matches()).as(name).isTrue();
        }
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
