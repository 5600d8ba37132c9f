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

    /** {@code oom_score_adj} of every plugin container: {@link ContainerSpec#OOM_SCORE_ADJ}. */
    static final int OOM_SCORE_ADJ = ContainerSpec.OOM_SCORE_ADJ;

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

    /** The CPU limit as {@code NanoCpus}: {@link ContainerSpec#nanoCpus}. */
    static long nanoCpus(double cpuPercent) {
        return ContainerSpec.nanoCpus(cpuPercent);
    }
}
