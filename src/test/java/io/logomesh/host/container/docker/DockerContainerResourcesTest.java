package io.logomesh.host.container.docker;

import com.github.dockerjava.api.model.HostConfig;
import io.logomesh.host.container.ContainerUpdateException;
import io.logomesh.host.support.Docker;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Live limits on a real container: written to its cgroup files (in force when {@code update} returns, before the
 * engine has heard of them), then the engine told the same; raising and lowering memory in the order the kernel
 * accepts; the engine's own update where the cgroup files are out of sight; a refusal when the kernel refuses.
 */
class DockerContainerResourcesTest {

    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final long MIB = 1024L * 1024L;

    @TempDir
    Path temp;

    private String containerId;

    @BeforeEach
    void startContainer() {
        containerId = Docker.client().createContainerCmd("logomesh-runtime-python:latest")
                .withEntrypoint("python3", "-c", "import time; b = b'x' * (24 << 20); time.sleep(120)")
                .withUser("20997:20997")
                .withLabels(Map.of("io.logomesh.test", "container-resources"))
                .withHostConfig(HostConfig.newHostConfig().withMemory(64 * MIB).withMemorySwap(64 * MIB)
                        .withNanoCPUs(500_000_000L).withPidsLimit(32L).withNetworkMode("none")
                        .withReadonlyRootfs(true))
                .exec().getId();
        Docker.client().startContainerCmd(containerId).exec();
    }

    @AfterEach
    void removeContainer() {
        Docker.client().removeContainerCmd(containerId).withForce(true).exec();
    }

    private DockerContainerResources resources(String cgroupRoot) {
        return new DockerContainerResources(Docker.client(), TestDataFolders.config(temp.resolve("data"),
                Map.of("logomesh.monitor.cgroup-root", cgroupRoot)));
    }

    @Test
    void shouldPutRaisedAndLoweredLimitsInForceAtOnceAndTellTheEngineAfterwards() throws Exception {
        DockerContainerResources resources = resources(CGROUP.toString());

        resources.applyLive(containerId, 256 * MIB, 25.0, 48);
        assertThat(kernel("memory", "memory.limit_in_bytes")).isEqualTo(256 * MIB);
        assertThat(kernel("memory", "memory.memsw.limit_in_bytes")).isEqualTo(256 * MIB);
        assertThat(kernel("cpu", "cpu.cfs_quota_us")).isEqualTo(kernel("cpu", "cpu.cfs_period_us") / 4);
        assertThat(kernel("pids", "pids.max")).isEqualTo(48);

        resources.applyLive(containerId, 40 * MIB, 10.0, 40); // lower than before
        assertThat(kernel("memory", "memory.limit_in_bytes")).isEqualTo(40 * MIB);
        assertThat(kernel("memory", "memory.memsw.limit_in_bytes")).isEqualTo(40 * MIB);
        assertThat(kernel("pids", "pids.max")).isEqualTo(40);

        resources.engineSynced(containerId).get(10, TimeUnit.SECONDS);
        HostConfig engine = Docker.inspect(containerId).getHostConfig();
        assertThat(engine.getMemory()).isEqualTo(40 * MIB);
        assertThat(engine.getMemorySwap()).isEqualTo(40 * MIB);
        assertThat(engine.getNanoCPUs()).isEqualTo(100_000_000L);
        // (the engine's PidsLimit is not checked here: this test's client, Testcontainers', speaks an API version
        // older than the update's PidsLimit field; the kernel's pids.max above is what is enforced)
    }

    @Test
    void shouldLetAnEngineUpdateFollowTheLiveChangesBeforeIt() {
        DockerContainerResources resources = resources(CGROUP.toString());

        resources.applyLive(containerId, 200 * MIB, 20.0, 40);
        resources.update(containerId, 72 * MIB, 30.0); // a grant: the engine's record and the kernel, both

        HostConfig engine = Docker.inspect(containerId).getHostConfig();
        assertThat(engine.getMemory()).isEqualTo(72 * MIB);
        assertThat(engine.getNanoCPUs()).isEqualTo(300_000_000L);
        assertThat(kernel("memory", "memory.limit_in_bytes")).isEqualTo(72 * MIB);
    }

    @Test
    void shouldRefuseAMemoryLimitBelowWhatTheProcessHoldsAndKeepTheOldOne() throws InterruptedException {
        DockerContainerResources resources = resources(CGROUP.toString());
        for (int i = 0; i < 100 && kernel("memory", "memory.usage_in_bytes") < 24 * MIB; i++) {
            Thread.sleep(50); // until the process holds its 24 MiB (written, so resident; no swap to go to)
        }

        assertThatThrownBy(() -> resources.applyLive(containerId, 4 * MIB, 50.0, 32))
                .isInstanceOf(ContainerUpdateException.class).hasMessageContaining("memory");
        assertThat(kernel("memory", "memory.limit_in_bytes")).as("the old limit stays").isEqualTo(64 * MIB);
        assertThat(kernel("memory", "memory.memsw.limit_in_bytes")).isEqualTo(64 * MIB);
    }

    @Test
    void shouldAskTheEngineWhenTheCgroupFilesAreOutOfSight() {
        DockerContainerResources resources = resources(temp.resolve("no-cgroups").toString());

        resources.applyLive(containerId, 96 * MIB, 50.0, 40);

        HostConfig engine = Docker.inspect(containerId).getHostConfig();
        assertThat(engine.getMemory()).isEqualTo(96 * MIB);
        assertThat(kernel("memory", "memory.limit_in_bytes")).isEqualTo(96 * MIB);
    }

    private long kernel(String controller, String file) {
        return Docker.cgroupV1(controller, containerId, file);
    }
}
