package io.logomesh.host.container.docker;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import io.logomesh.host.container.ContainerSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LockdownHostConfigTest {

    private static final SeccompProfile SECCOMP = SeccompProfile.builtIn();

    private static ContainerSpec spec(Optional<Path> data, double cpu) {
        return new ContainerSpec("p1", "img", 20001, Path.of("/d/code"), Path.of("/d/ipc"), data,
                Map.of("A", "1"), 64L << 20, cpu, 64, 256, 16L << 20, "1m", 2);
    }

    @Test
    void shouldLockEverythingDownByDefault() {
        HostConfig hc = LockdownHostConfig.from(spec(Optional.empty(), 50), SECCOMP);

        assertThat(hc.getNetworkMode()).isEqualTo("none");
        assertThat(hc.getReadonlyRootfs()).isTrue();
        assertThat(hc.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(hc.getSecurityOpts()).containsExactly("no-new-privileges:true", "seccomp=" + SECCOMP.json());
        assertThat(hc.getMemorySwap()).isEqualTo(hc.getMemory()).isEqualTo(64L << 20);
        assertThat(hc.getNanoCPUs()).as("--cpus 0.5, the form CIS Docker 5.12 reads").isEqualTo(500_000_000L);
        assertThat(hc.getCpuQuota()).as("no second CPU limit beside NanoCpus").isNull();
        assertThat(hc.getOomScoreAdj()).as("a host-wide OOM picks a plugin first").isEqualTo(1000);
        assertThat(hc.getUlimits()).extracting(u -> u.getName() + "=" + u.getSoftLong() + ":" + u.getHardLong())
                .containsExactlyInAnyOrder("nofile=256:256", "core=0:0");
        assertThat(hc.getTmpFs().get("/tmp")).isEqualTo("rw,noexec,nosuid,nodev,size=16m,mode=1777");
        assertThat(hc.getShmSize()).as("/dev/shm no larger than /tmp").isEqualTo(16L * 1024 * 1024);
        assertThat(hc.getBinds()).extracting(Bind::getPath).containsExactly("/d/code", "/d/ipc");
        assertThat(hc.getBinds()).allSatisfy(b -> assertThat(b.getAccessMode().toString()).isEqualTo("ro"));
    }

    @Test
    void shouldGrantTheDataFolderOnlyWhenAskedAndNeverANetwork() {
        HostConfig hc = LockdownHostConfig.from(spec(Optional.of(Path.of("/d/data")), 50), SECCOMP);

        assertThat(hc.getNetworkMode()).as("a network grant is the egress proxy, never a Docker network")
                .isEqualTo("none");
        assertThat(hc.getBinds()).hasSize(3);
        assertThat(hc.getBinds()[2].getVolume().getPath()).isEqualTo("/data");
        assertThat(hc.getBinds()[2].getAccessMode().toString()).isEqualTo("rw");
    }

    @Test
    void shouldDenyPtraceAndIoUringAndKeepWhatTheRuntimesNeedInTheBuiltInSeccompProfile() {
        assertThat(SECCOMP.json()).startsWith("{\"defaultAction\":\"SCMP_ACT_ERRNO\"");
        for (String call : new String[] {"ptrace", "process_vm_readv", "mount", "unshare", "keyctl", "clock_settime", "bpf",
                "io_uring_setup", "io_uring_enter", "io_uring_register"}) {
            assertThat(SECCOMP.allowsWithoutCapabilities(call)).as(call).isFalse();
        }
        for (String call : new String[] {"read", "write", "clone", "execve", "mmap", "futex", "epoll_wait", "socket"}) {
            assertThat(SECCOMP.allowsWithoutCapabilities(call)).as(call).isTrue();
        }
    }

    @Test
    void shouldMapCpuPercentToNanoCpusWithTheEnginesFloor() {
        assertThat(LockdownHostConfig.nanoCpus(100)).isEqualTo(1_000_000_000L);
        assertThat(LockdownHostConfig.nanoCpus(12.5)).isEqualTo(125_000_000L);
        assertThat(LockdownHostConfig.nanoCpus(0.1)).isEqualTo(10_000_000L);
    }
}
