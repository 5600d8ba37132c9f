package io.logomesh.host.container.docker;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginSnapshot;
import io.logomesh.host.support.Docker;
import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.logomesh.host.support.Docker.containersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The factory's guarantees, against the real engine. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class DockerContainerFactoryTest {

    @Inject
    ContainerFactory factory;

    @Inject
    DataFolder data;

    @Inject
    PluginManager plugins;

    private ContainerSpec spec(String pluginId, String image) throws IOException {
        Path code = Files.createDirectories(data.root().resolve("factory-test/" + pluginId));
        return new ContainerSpec(pluginId, image, 20999, code, code, Optional.empty(), Map.of(),
                32L << 20, 10, 16, 64, 1L << 20, "1m", 1);
    }

    @Test
    void shouldSayWhichImageIsMissing() {
        assertThatThrownBy(() -> factory.start(spec("no-image", "logomesh-runtime-nothing:none")))
                .isInstanceOf(ContainerLaunchException.class).hasMessageContaining("make images");
        assertThat(containersOf("no-image")).isEmpty();
    }

    @Test
    void shouldRemoveItsOwnLeftoversButKeepKnownPlugins() throws IOException {
        PluginContainer leftover = factory.start(spec("leftover-x", "logomesh-runtime-python:latest"));
        assertThat(containersOf("leftover-x")).hasSize(1);

        int removed = factory.removeLeftovers(
                plugins.list().stream().map(PluginSnapshot::id).collect(Collectors.toSet()));

        assertThat(removed).isGreaterThanOrEqualTo(1);
        assertThat(containersOf("leftover-x")).isEmpty();
        assertThat(leftover.awaitExit(Duration.ofMillis(100))).isEmpty();
        leftover.stop(Duration.ZERO);
        leftover.remove();
    }

    @Test
    void shouldRefuseToReplaceAContainerItDidNotCreate() throws IOException {
        String id = Docker.client().createContainerCmd("logomesh-runtime-python:latest")
                .withName("logomesh-foreign-x").exec().getId();
        try {
            assertThatThrownBy(() -> factory.start(spec("foreign-x", "logomesh-runtime-python:latest")))
                    .isInstanceOf(ContainerLaunchException.class).hasMessageContaining("does not belong to this host");
            assertThat(Docker.inspect(id).getId()).isEqualTo(id);
        } finally {
            Docker.client().removeContainerCmd(id).withForce(true).exec();
        }
    }
}
