package io.logomesh.host.container.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import io.logomesh.host.container.ContainerSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link ContainerSpec} into the engine's HostConfig with the full lockdown:
 * no capabilities, no-new-privileges, a seccomp profile (see {@link SeccompProfile}), read-only root, a small
 * noexec tmpfs (and a /dev/shm no larger), no network unless granted, memory = memory+swap, a CPU quota, a pids
 * cap, a nofile ulimit, a private IPC namespace, a bounded log driver, and no host
 * path but the plugin's own folders.
 */
final class LockdownHostConfig {

    static final long CPU_PERIOD_US = 100_000;

    private LockdownHostConfig() {
    }

    static HostConfig from(ContainerSpec spec, SeccompProfile seccomp) {
        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(spec.codeDir().toString(), new Volume(ContainerSpec.CODE_MOUNT), AccessMode.ro));
        binds.add(new Bind(spec.ipcDir().toString(), new Volume(ContainerSpec.IPC_MOUNT), AccessMode.ro));
        spec.dataDir().ifPresent(dir ->
                binds.add(new Bind(dir.toString(), new Volume(ContainerSpec.DATA_MOUNT), AccessMode.rw)));
        long tmpfsMb = Math.max(1, spec.tmpfsBytes() / (1024 * 1024));
        return HostConfig.newHostConfig()
                .withPrivileged(false)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges:true", seccomp.securityOpt()))
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,nodev,size=" + tmpfsMb + "m,mode=1777"))
                .withNetworkMode(spec.networkAccess() ? "bridge" : "none")
                .withMemory(spec.memoryBytes())
                .withMemorySwap(spec.memoryBytes())
                .withCpuPeriod(CPU_PERIOD_US)
                .withCpuQuota(cpuQuota(spec.cpuPercent()))
                .withPidsLimit(spec.pidsLimit())
                .withUlimits(List.of(new Ulimit("nofile", spec.nofile(), spec.nofile())))
                .withIpcMode("private")
                .withShmSize(Math.max(1024L * 1024, spec.tmpfsBytes())) // the engine's default /dev/shm is 64 MiB
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
                        Map.of("max-size", spec.logMaxSize(), "max-file", Integer.toString(spec.logMaxFiles()))))
                .withBinds(binds);
    }

    /** CPU quota in microseconds per {@link #CPU_PERIOD_US}: 50 % of one core is 50 000. */
    static long cpuQuota(double cpuPercent) {
        return Math.max(1_000, Math.round(CPU_PERIOD_US * cpuPercent / 100.0));
    }
}
