package io.logomesh.host;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages under {@code io.logomesh.host} use one another one way (CONTRIBUTING.md: api → action/plugin →
 * container/ipc/monitor → audit/config): no two packages reach each other, {@code audit} and {@code config} sit
 * at the bottom, and {@code ipc} and {@code container} know nothing of plugins, actions or the REST API.
 */
class ArchitectureTest {

    private static final Path SOURCES = Path.of("src/main/java/io/logomesh/host");

    private static PackageGraph graph;

    @BeforeAll
    static void readTheSources() throws IOException {
        graph = PackageGraph.read(SOURCES);
    }

    @Test
    void shouldFindTheLayeredPackagesInTheSources() {
        assertThat(graph.packages()).contains("api", "action", "plugin", "container", "ipc", "monitor", "audit",
                "config");
    }

    @Test
    void shouldHaveNoCycleBetweenPackages() {
        List<String> cycles = new ArrayList<>();
        for (Set<String> cycle : graph.cycles()) {
            List<String> closing = new ArrayList<>();
            for (String from : cycle) {
                graph.targets(from).stream().filter(cycle::contains).forEach(to -> closing.add(graph.describe(from, to)));
            }
            cycles.add(String.join(" <-> ", cycle) + ":\n    " + String.join("\n    ", closing));
        }
        assertThat(cycles).withFailMessage("packages that use one another:%n%s", String.join("\n", cycles)).isEmpty();
    }

    @Test
    void shouldLetAuditUseOnlyConfigAndConfigNoOtherPackage() {
        List<String> upward = new ArrayList<>();
        upward.addAll(usesOtherThan("audit", Set.of("config")));
        upward.addAll(usesOtherThan("config", Set.of()));
        assertThat(upward).withFailMessage("the bottom layer uses packages above it:%n%s", String.join("\n", upward))
                .isEmpty();
    }

    @Test
    void shouldKeepIpcAndContainerBelowPluginActionAndApi() {
        List<String> upward = new ArrayList<>();
        for (String low : List.of("ipc", "container")) {
            graph.targets(low).stream().filter(Set.of("plugin", "action", "api")::contains)
                    .forEach(high -> upward.add(graph.describe(low, high)));
        }
        assertThat(upward).withFailMessage("ipc or container uses a package above it:%n%s", String.join("\n", upward))
                .isEmpty();
    }

    private static List<String> usesOtherThan(String from, Set<String> allowed) {
        return graph.targets(from).stream().filter(to -> !allowed.contains(to)).map(to -> graph.describe(from, to))
                .toList();
    }

    @Test
    void shouldCountImportsStaticImportsAndQualifiedNamesButNeitherCommentsNorStrings() {
        PackageGraph sample = new PackageGraph();
        sample.add("audit", "audit/Sample.java", """
                package io.logomesh.host.audit.inner;
                import io.logomesh.host.config.HostConfig;
                import static io.logomesh.host.ipc.Frames.ok;
                import io.logomesh.host.PluginHostException;
                /** See {@link io.logomesh.host.api.AuditResource}. */
                class Sample {
                    // io.logomesh.host.action.ActionService
                    String main = "io.logomesh.host.agent.NodeAgent";
                    char quote = '"';
                    void on(io.logomesh.host.plugin.PluginStateEvent event) {
                    }
                }
                """);
        assertThat(sample.targets("audit")).containsExactlyInAnyOrder("config", "ipc", "plugin");
    }
}
