package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.manifest.ManifestParser;
import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PluginManifest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dependency rules, on plugins that exist only as handles (no containers). */
class DependenciesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ManifestParser PARSER = new ManifestParser();

    private final Map<String, PluginHandle> handles = new LinkedHashMap<>();
    private final Dependencies deps = new Dependencies(handles);

    static PluginManifest manifest(String id, String version, String... dependencies) {
        ObjectNode m = JSON.createObjectNode().put("id", id).put("name", id).put("version", version)
                .put("runtime", "nodejs").put("description", "d").put("author", "a")
                .put("securityLevel", "minimal");
        m.putArray("permissions");
        m.putObject("capabilities").putArray("inputMethods").add("text");
        ((ObjectNode) m.get("capabilities")).putArray("outputMethods").add("text");
        ArrayNode list = m.putArray("dependencies");
        for (String d : dependencies) {
            String[] idAndRange = d.split("@");
            list.addObject().put("id", idAndRange[0]).put("version", idAndRange[1]);
        }
        return PARSER.parse(m);
    }

    private PluginHandle add(PluginState state, String id, String version, String... dependencies) {
        PluginRecord record = new PluginRecord(id, state, null, 20000 + handles.size(), Instant.now(), Instant.now());
        PluginHandle h = new PluginHandle(manifest(id, version, dependencies), record, null, null, null, e -> { },
                new HostCalls(List.<HostCallHandler>of()));
        handles.put(id, h);
        return h;
    }

    @Test
    void shouldRefuseMissingConflictingAndInactiveDependencies() {
        PluginHandle b = add(PluginState.INSTALLED, "b-plugin", "1.0.0", "a-plugin@^1.2.0");
        assertThatThrownBy(() -> deps.requireActive(b)).isInstanceOf(DependencyException.class)
                .hasMessageContaining("a-plugin ^1.2.0, which is not installed")
                .extracting(e -> ((DependencyException) e).code()).isEqualTo("dependency_missing");

        add(PluginState.ACTIVE, "a-plugin", "1.1.9");
        assertThatThrownBy(() -> deps.requireActive(b)).hasMessageContaining("needs a-plugin ^1.2.0 but version 1.1.9 is installed")
                .extracting(e -> ((DependencyException) e).code()).isEqualTo("dependency_conflict");

        add(PluginState.INACTIVE, "a-plugin", "1.4.0");
        assertThatThrownBy(() -> deps.requireActive(b)).hasMessageContaining("INACTIVE").hasMessageContaining("?cascade=true")
                .extracting(e -> ((DependencyException) e).code()).isEqualTo("dependency_inactive");

        add(PluginState.ACTIVE, "a-plugin", "1.4.0");
        deps.requireActive(b);
    }

    @Test
    void shouldOrderACascadeDependenciesFirstEachOnce() {
        // d -> b, c; b -> a; c -> a
        add(PluginState.INSTALLED, "a-plugin", "1.0.0");
        add(PluginState.INSTALLED, "b-plugin", "1.0.0", "a-plugin@^1");
        add(PluginState.INSTALLED, "c-plugin", "1.0.0", "a-plugin@^1");
        PluginHandle d = add(PluginState.INSTALLED, "d-plugin", "1.0.0", "b-plugin@^1", "c-plugin@^1");

        assertThat(deps.activationOrder(d)).extracting(PluginHandle::id)
                .containsExactly("a-plugin", "b-plugin", "c-plugin", "d-plugin");
    }

    @Test
    void shouldCheckTheWholeClosureBeforeACascadeStarts() {
        add(PluginState.INSTALLED, "a-plugin", "2.0.0");
        add(PluginState.INSTALLED, "b-plugin", "1.0.0", "a-plugin@^1");
        PluginHandle c = add(PluginState.INSTALLED, "c-plugin", "1.0.0", "b-plugin@^1");
        assertThatThrownBy(() -> deps.activationOrder(c)).hasMessageContaining("b-plugin needs a-plugin ^1 but version 2.0.0");
    }

    @Test
    void shouldDeactivateDependentsOfDependentsFirst() {
        PluginHandle a = add(PluginState.ACTIVE, "a-plugin", "1.0.0");
        add(PluginState.ACTIVE, "b-plugin", "1.0.0", "a-plugin@^1");
        add(PluginState.ACTIVE, "c-plugin", "1.0.0", "b-plugin@^1");
        add(PluginState.INACTIVE, "x-plugin", "1.0.0", "a-plugin@^1");

        assertThat(deps.runningDependents("a-plugin")).extracting(PluginHandle::id).containsExactly("b-plugin");
        assertThat(deps.dependents("a-plugin")).extracting(PluginHandle::id).containsExactly("b-plugin", "x-plugin");
        assertThat(deps.deactivationOrder(a)).extracting(PluginHandle::id)
                .containsExactly("c-plugin", "b-plugin", "a-plugin");
    }

    @Test
    void shouldStartAgainInWavesAfterWhatEachDependsOn() {
        PluginHandle a = add(PluginState.INACTIVE, "a-plugin", "1.0.0");
        PluginHandle b = add(PluginState.INACTIVE, "b-plugin", "1.0.0", "a-plugin@^1");
        PluginHandle c = add(PluginState.INACTIVE, "c-plugin", "1.0.0", "b-plugin@^1", "x-plugin@^1");
        PluginHandle d = add(PluginState.INACTIVE, "d-plugin", "1.0.0");

        assertThat(Dependencies.waves(List.of(c, b, d, a))).containsExactly(List.of(d, a), List.of(b), List.of(c));
    }

    @Test
    void shouldFindACycleThroughInstalledPlugins() {
        add(PluginState.INSTALLED, "a-plugin", "1.0.0", "b-plugin@^1");
        add(PluginState.INSTALLED, "b-plugin", "1.0.0", "c-plugin@*");

        Optional<ManifestViolation> cycle = deps.cycle(manifest("c-plugin", "1.0.0", "a-plugin@^1"));
        assertThat(cycle).isPresent();
        assertThat(cycle.get().path()).isEqualTo("/dependencies");
        assertThat(cycle.get().message()).contains("c-plugin -> a-plugin -> b-plugin -> c-plugin");

        assertThat(deps.cycle(manifest("d-plugin", "1.0.0", "a-plugin@^1"))).isEmpty();
        assertThat(deps.cycle(manifest("c-plugin", "1.0.0", "x-plugin@^1"))).isEmpty();
    }
}
