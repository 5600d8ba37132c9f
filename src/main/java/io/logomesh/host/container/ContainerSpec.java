package io.logomesh.host.container;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to start one plugin container. The factory turns it into a
 * locked-down container; nothing here can loosen the lockdown except the one
 * explicit grant {@link #dataDir()}. There is no network setting: every container runs with
 * {@code --network none}; a network grant is the host's egress proxy, reached through the IPC folder.
 *
 * @param pluginId      plugin id (container name {@code logomesh-<id>}, label {@code io.logomesh.plugin})
 * @param image         runtime image
 * @param uid           non-root uid (and gid) the plugin runs as
 * @param codeDir       host folder with the plugin's code, mounted read-only at {@code /plugin}
 * @param ipcDir        host folder with the plugin's IPC socket, mounted read-only at {@code /run/logomesh}
 * @param dataDir       writable host folder mounted at {@code /data}, only with {@code fileSystemAccess}
 * @param env           the whole environment of the container (nothing of the host's is added)
 * @param memoryBytes   memory limit; swap limit is the same (no swap)
 * @param cpuPercent    share of one core, 1–100
 * @param pidsLimit     process/thread cap
 * @param nofile        open-files ulimit
 * @param tmpfsBytes    size of the {@code /tmp} tmpfs
 * @param logMaxSize    Docker log file size cap, e.g. {@code 1m}
 * @param logMaxFiles   Docker log files kept
 */
public record ContainerSpec(
        String pluginId,
        String image,
        int uid,
        Path codeDir,
        Path ipcDir,
        Optional<Path> dataDir,
        Map<String, String> env,
        long memoryBytes,
        double cpuPercent,
        long pidsLimit,
        long nofile,
        long tmpfsBytes,
        String logMaxSize,
        int logMaxFiles) {

    /** Where the plugin's code appears inside the container. */
    public static final String CODE_MOUNT = "/plugin";
    /** Where the IPC folder appears inside the container. */
    public static final String IPC_MOUNT = "/run/logomesh";
    /** Where the writable data folder appears inside the container. */
    public static final String DATA_MOUNT = "/data";

    /** Nano-CPUs of one core ({@code --cpus 1}). */
    public static final long NANO_CPUS_PER_CORE = 1_000_000_000L;
    /** The engine's floor for {@code NanoCpus}: 0.01 of a core. */
    public static final long MIN_NANO_CPUS = NANO_CPUS_PER_CORE / 100;
    /** {@code oom_score_adj} of every plugin container (-1000..1000): under host-wide memory pressure, plugins go first. */
    public static final int OOM_SCORE_ADJ = 1000;

    /**
     * The CPU limit as {@code NanoCpus}: 50 % of one core is 500 000 000 (the engine turns it into a CFS
     * quota per 100 ms period, as {@code --cpus} does), never below the engine's floor of 0.01 core.
     */
    public static long nanoCpus(double cpuPercent) {
        return Math.max(MIN_NANO_CPUS, Math.round(NANO_CPUS_PER_CORE * cpuPercent / 100.0));
    }

    /** The container name of a plugin: {@code logomesh-<id>} (a cell it took is renamed so). */
    public static String containerName(String pluginId) {
        return "logomesh-" + pluginId;
    }

    public ContainerSpec {
        env = Map.copyOf(env);
    }
}
