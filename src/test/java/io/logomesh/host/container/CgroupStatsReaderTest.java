package io.logomesh.host.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupStatsReaderTest {

    private static final String NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:     500       8    0    0    0     0          0         0      500       8    0    0    0     0       0          0
              eth0:     736       8    0    0    0     0          0         0      120       2    0    0    0     0       0          0
            """;

    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void shouldReadCgroupV1Files() throws IOException {
        String d = "cg/%s/docker/abc/";
        write(d.formatted("memory") + "memory.usage_in_bytes", "104857600\n");
        write(d.formatted("memory") + "memory.stat", "cache 300\ninactive_file 10\ntotal_inactive_file 20971520\n");
        write(d.formatted("memory") + "memory.limit_in_bytes", "134217728\n");
        write(d.formatted("memory") + "memory.failcnt", "7\n");
        write(d.formatted("cpuacct") + "cpuacct.usage", "123456789\n");
        write(d.formatted("cpu") + "cpu.stat", "nr_periods 31\nnr_throttled 4\nthrottled_time 99\n");
        write(d.formatted("pids") + "pids.current", "6\n");
        write(d.formatted("pids") + "pids.max", "64\n");
        write(d.formatted("blkio") + "blkio.throttle.io_service_bytes_recursive",
                "8:0 Read 100\n8:0 Write 200\n8:16 Read 1\n8:0 Total 300\nTotal 301\n");
        write("proc/42/net/dev", NET_DEV);
        ContainerStats s = new CgroupStatsReader(root.resolve("cg"), root.resolve("proc")).read("abc", 42).orElseThrow();
        assertThat(s.source()).isEqualTo("cgroup-v1");
        assertThat(s.workingSetBytes()).isEqualTo(80L << 20);
        assertThat(s.memoryLimitBytes()).isEqualTo(128L << 20);
        assertThat(s.memoryFailcnt()).isEqualTo(7);
        assertThat(s.cpuUsageNanos()).isEqualTo(123456789);
        assertThat(s.cpuThrottledPeriods()).isEqualTo(4);
        assertThat(s.pids()).isEqualTo(6);
        assertThat(s.pidsLimit()).isEqualTo(64);
        assertThat(s.diskReadBytes()).isEqualTo(101);
        assertThat(s.diskWriteBytes()).isEqualTo(200);
        assertThat(s.netRxBytes()).isEqualTo(736);
        assertThat(s.netTxBytes()).isEqualTo(120);
    }

    @Test
    void shouldReadCgroupV2Files() throws IOException {
        String d = "cg/system.slice/docker-abc.scope/";
        write(d + "memory.current", "52428800\n");
        write(d + "memory.stat", "anon 40000000\ninactive_file 10485760\n");
        write(d + "memory.max", "max\n");
        write(d + "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        write(d + "cpu.stat", "usage_usec 2500\nuser_usec 2000\nnr_throttled 9\n");
        write(d + "pids.current", "2\n");
        write(d + "pids.max", "max\n");
        write(d + "io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2\n8:16 rbytes=1 wbytes=0\n");
        ContainerStats s = new CgroupStatsReader(root.resolve("cg"), root.resolve("proc")).read("abc", 0).orElseThrow();
        assertThat(s.source()).isEqualTo("cgroup-v2");
        assertThat(s.workingSetBytes()).isEqualTo(40L << 20);
        assertThat(s.memoryLimitBytes()).isZero();
        assertThat(s.memoryFailcnt()).isEqualTo(3);
        assertThat(s.cpuUsageNanos()).isEqualTo(2_500_000);
        assertThat(s.cpuThrottledPeriods()).isEqualTo(9);
        assertThat(s.pidsLimit()).isZero();
        assertThat(s.diskReadBytes()).isEqualTo(4097);
        assertThat(s.diskWriteBytes()).isEqualTo(8192);
    }

    @Test
    void shouldReadTheFilesAgainThroughTheDescriptorsItKeepsAndCloseThemWhenTold() throws IOException {
        String d = "cg/system.slice/docker-abc.scope/";
        write(d + "memory.current", "1000\n");
        write(d + "memory.stat", "inactive_file 0\n");
        write(d + "memory.max", "max\n");
        write(d + "cpu.stat", "usage_usec 1\n");
        write(d + "pids.current", "1\n");
        write(d + "pids.max", "max\n");
        CgroupStatsReader reader = new CgroupStatsReader(root.resolve("cg"), root.resolve("proc"));
        assertThat(reader.read("abc", 0).orElseThrow().memoryUsageBytes()).isEqualTo(1000);
        assertThat(reader.openContainers()).isEqualTo(1);

        write(d + "memory.current", "123456789\n"); // rewritten in place, as the kernel renders it anew
        assertThat(reader.read("abc", 0).orElseThrow().memoryUsageBytes()).isEqualTo(123456789);
        assertThat(reader.read("abc", 0).orElseThrow().memoryFailcnt()).as("no memory.events: none").isZero();

        reader.invalidate("abc");
        assertThat(reader.openContainers()).isZero();
        Files.delete(root.resolve(d + "memory.current"));
        assertThat(reader.read("abc", 0)).as("gone: the caller falls back").isEmpty();
        assertThat(reader.openContainers()).isZero();
    }

    @Test
    void shouldFindAKeysValueOnlyAtTheStartOfALine() {
        String stat = "inactive_file 5\ntotal_inactive_file 20\nactive_file 7\nbad x\n";
        assertThat(CgroupStatsReader.value(stat, "inactive_file")).isEqualTo(5);
        assertThat(CgroupStatsReader.value(stat, "total_inactive_file")).isEqualTo(20);
        assertThat(CgroupStatsReader.value(stat, "active_file")).isEqualTo(7);
        assertThat(CgroupStatsReader.value(stat, "missing")).isEqualTo(-1);
        assertThat(CgroupStatsReader.value(stat, "bad")).isEqualTo(-1);
        assertThat(CgroupStatsReader.value("last 9", "last")).isEqualTo(9);
    }

    @Test
    void shouldSayNothingWhenTheContainersFilesAreNotThere() {
        assertThat(new CgroupStatsReader(root.resolve("none"), root).read("abc", 1)).isEmpty();
    }

    @Test
    void shouldTreatV1sHugeUnlimitedValueAsNoLimit() {
        assertThat(CgroupStatsReader.limit("9223372036854771712")).isZero();
        assertThat(CgroupStatsReader.limit("max")).isZero();
        assertThat(CgroupStatsReader.limit("1024\n")).isEqualTo(1024);
    }
}
