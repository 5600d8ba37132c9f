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
 * noexec tmpfs (and a /dev/shm no larger), no network ever ({@code none}: only {@code lo}; a network grant is the host's egress proxy over a Unix socket in the IPC folder), memory = memory+swap, a CPU limit in
 * {@code NanoCpus} (what {@code --cpus} sets, and what CIS Docker 5.12 checks read), a pids cap, a nofile
 * ulimit, no core dumps ({@code core} ulimit 0), an OOM score of {@value #OOM_SCORE_ADJ} (a host-wide OOM
 * picks a plugin before the host), a private IPC namespace, a bounded log driver, and no host path but the
 * plugin's own folders.
 */
final class LockdownHostConfig {

    /**
     * Every plugin container's network: {@code none}, networked or not. A plugin that holds {@code network}
     * reaches the host's egress proxy through {@code egress.sock} in its IPC folder (docs/egress.md).
     */
    static final String NETWORK_MODE = "none";

    /** Nano-CPUs of one core ({@code --cpus 1}). */
    static final long NANO_CPUS_PER_CORE = 1_000_000_000L;
    /** The engine's floor for {@code NanoCpus}: 0.01 of a core. */
    static final long MIN_NANO_CPUS = NANO_CPUS_PER_CORE / 100;
    /** {@code oom_score_adj} of every plugin container (-1000..1000): under host-wide memory pressure, plugins go first. */
    static final int OOM_SCORE_ADJ = 1000;

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
                .withNetworkMode(NETWORK_MODE)
                .withMemory(spec.memoryBytes())
                .withMemorySwap(spec.memoryBytes())
                .withNanoCPUs(nanoCpus(spec.cpuPercent()))
                .withPidsLimit(spec.pidsLimit())
                .withUlimits(List.of(new Ulimit("nofile", spec.nofile(), spec.nofile()), new Ulimit("core", 0L, 0L)))
                .withOomScoreAdj(OOM_SCORE_ADJ)
                .withIpcMode("private")
                .withShmSize(Math.max(1024L * 1024, spec.tmpfsBytes())) // the engine's default /dev/shm is 64 MiB
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
                        Map.of("max-size", spec.logMaxSize(), "max-file", Integer.toString(spec.logMaxFiles()))))
                .withBinds(binds);
    }

    /**
     * The CPU limit as {@code NanoCpus}: 50 % of one core is 500 000 000 (the engine turns it into a CFS
     * quota per 100 ms period, as {@code --cpus} does), never below the engine's floor of 0.01 core.
     */
    static long nanoCpus(double cpuPercent) {
        return Math.max(MIN_NANO_CPUS, Math.round(NANO_CPUS_PER_CORE * cpuPercent / 100.0));
    }
}
