package io.logomesh.host.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The files {@link CgroupLimits} writes, on a fake cgroup tree (the real kernel: DockerContainerResourcesTest). */
class CgroupLimitsTest {

    @TempDir
    Path root;

    private void file(String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private String read(String path) throws IOException {
        return Files.readString(root.resolve(path)).trim();
    }

    @Test
    void shouldWriteV1MemoryAndSwapTheQuotaForTheContainersPeriodAndPids() throws IOException {
        file("memory/docker/abc/memory.limit_in_bytes", "134217728\n");
        file("memory/docker/abc/memory.memsw.limit_in_bytes", "134217728\n");
        file("cpu/docker/abc/cpu.cfs_period_us", "50000\n");
        file("cpu/docker/abc/cpu.cfs_quota_us", "50000\n");
        file("pids/docker/abc/pids.max", "64\n");

        assertThat(new CgroupLimits(root).set("abc", 64L << 20, 250_000_000L, 100)).isTrue();

        assertThat(read("memory/docker/abc/memory.limit_in_bytes")).isEqualTo(Long.toString(64L << 20));
        assertThat(read("memory/docker/abc/memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(64L << 20));
        assertThat(read("cpu/docker/abc/cpu.cfs_quota_us")).isEqualTo("12500");
        assertThat(read("pids/docker/abc/pids.max")).isEqualTo("100");
    }

    @Test
    void shouldLeaveThePidsLimitAloneWhenAskedToKeepIt() throws IOException {
        file("memory/docker/abc/memory.limit_in_bytes", "134217728\n");
        file("cpu/docker/abc/cpu.cfs_quota_us", "50000\n");
        file("pids/docker/abc/pids.max", "64\n");

        new CgroupLimits(root).set("abc", 256L << 20, 1_000_000_000L, CgroupLimits.KEEP);

        assertThat(read("pids/docker/abc/pids.max")).isEqualTo("64");
        assertThat(read("cpu/docker/abc/cpu.cfs_quota_us")).as("the default period, 100 ms").isEqualTo("100000");
    }

    @Test
    void shouldWriteV2FilesWithNoSwap() throws IOException {
        String dir = "system.slice/docker-abc.scope/";
        file(dir + "memory.max", "max\n");
        file(dir + "memory.swap.max", "max\n");
        file(dir + "cpu.max", "max 100000\n");
        file(dir + "pids.max", "max\n");

        assertThat(new CgroupLimits(root).set("abc", 32L << 20, 500_000_000L, 0)).isTrue();

        assertThat(read(dir + "memory.max")).isEqualTo(Long.toString(32L << 20));
        assertThat(read(dir + "memory.swap.max")).isEqualTo("0");
        assertThat(read(dir + "cpu.max")).isEqualTo("50000 100000");
        assertThat(read(dir + "pids.max")).isEqualTo("max");
    }

    @Test
    void shouldSayWhenTheContainersCgroupIsOutOfSightAndWriteNothing() {
        assertThat(new CgroupLimits(root).set("abc", 1L << 20, 1, 1)).isFalse();
        assertThat(root.toFile().list()).isEmpty();
    }

    @Test
    void shouldNeverGoBelowTheKernelsQuotaFloor() {
        assertThat(CgroupLimits.quota(1_000_000L, 100_000L)).isEqualTo(1000L);
        assertThat(CgroupLimits.quota(2_000_000_000L, 100_000L)).isEqualTo(200_000L);
    }
}
