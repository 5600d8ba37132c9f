package io.logomesh.host.container.docker;

import com.github.dockerjava.api.model.HostConfig;
import io.logomesh.host.container.ContainerStats;
import io.logomesh.host.container.StatsUnavailableException;
import io.logomesh.host.support.Docker;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the host cannot see the cgroup files (another machine's engine, a container without the host's
 * cgroup tree), counters come from the engine's stats API. A real container, read both ways.
 */
class DockerStatsSourceTest {

    private static final long LIMIT = 48L << 20;

    @TempDir
    Path temp;

    private String containerId;

    @BeforeEach
    void startContainer() {
        containerId = Docker.client().createContainerCmd("logomesh-runtime-python:latest")
                .withEntrypoint("python3", "-c", "import time; time.sleep(60)")
                .withUser("20998:20998")
                .withLabels(Map.of("io.logomesh.test", "stats-source"))
                .withHostConfig(HostConfig.newHostConfig().withMemory(LIMIT).withMemorySwap(LIMIT)
                        .withNetworkMode("none").withReadonlyRootfs(true))
                .exec().getId();
        Docker.client().startContainerCmd(containerId).exec();
    }

    @AfterEach
    void removeContainer() {
        Docker.client().removeContainerCmd(containerId).withForce(true).exec();
    }

    private DockerStatsSource source(String cgroupRoot) {
        return new DockerStatsSource(Docker.client(), TestDataFolders.config(temp.resolve("data"),
                Map.of("logomesh.monitor.cgroup-root", cgroupRoot)));
    }

    @Test
    void shouldFallBackToTheEnginesStatsWhenTheCgroupFilesAreOutOfSight() {
        ContainerStats fromEngine = source(temp.resolve("no-cgroups").toString()).read(containerId);
        ContainerStats fromKernel = source("/sys/fs/cgroup").read(containerId);

        assertThat(fromEngine.source()).isEqualTo("docker-api");
        assertThat(fromKernel.source()).startsWith("cgroup-v");
        assertThat(fromEngine.memoryLimitBytes()).isEqualTo(fromKernel.memoryLimitBytes()).isEqualTo(LIMIT);
        assertThat(fromEngine.pids()).isEqualTo(fromKernel.pids()).isEqualTo(1);
        assertThat(fromEngine.memoryUsageBytes()).as("a sleeping process: the same pages, give or take")
                .isPositive().isBetween(fromKernel.memoryUsageBytes() / 2, fromKernel.memoryUsageBytes() * 2);
        assertThat(fromEngine.cpuUsageNanos()).isPositive();
    }

    @Test
    void shouldSayAContainerIsGone() {
        DockerStatsSource source = source(temp.resolve("no-cgroups").toString());
        Docker.client().removeContainerCmd(containerId).withForce(true).exec();
        source.forget(containerId);

        assertThatThrownBy(() -> source.read(containerId)).isInstanceOf(StatsUnavailableException.class)
                .hasMessageContaining(containerId);
        startContainer(); // for @AfterEach
    }
}
