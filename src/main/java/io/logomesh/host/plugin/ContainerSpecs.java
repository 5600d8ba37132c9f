package io.logomesh.host.plugin;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.manifest.PermissionAuthority;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.manifest.ResourceRequirements;
import io.logomesh.host.manifest.PluginManifest.Runtime;
import io.logomesh.host.manifest.PluginManifest.SecurityLevel;
import io.logomesh.host.prewarm.CellSpecs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps a manifest to the container that runs it: the runtime image, the plugin's own
 * uid, its folders, an environment made only of the host's own variables, and the
 * limits from {@code resourceRequirements} plus the host-wide caps.
 */
@ApplicationScoped
public class ContainerSpecs implements CellSpecs {

    private final HostConfig config;
    private final DataFolder data;
    private final PluginStore store;
    private final PermissionAuthority permissions;

    @Inject
    public ContainerSpecs(HostConfig config, DataFolder data, PluginStore store, PermissionAuthority permissions) {
        this.config = config;
        this.data = data;
        this.store = store;
        this.permissions = permissions;
    }

    /** The image that runs a runtime. */
    public String imageFor(Runtime runtime) {
        return switch (runtime) {
            case NODEJS -> config.docker().nodejsImage();
            case PYTHON -> config.docker().pythonImage();
            case WEBASSEMBLY -> config.docker().wasmImage();
        };
    }

    /**
     * A cell's container: everything of {@link #forPlugin} that does not depend on a plugin, the default limits
     * ({@code docker update} gives the plugin's when it takes the cell), and instead of the plugin's values
     * {@code LOGOMESH_CELL=1} (they come in the {@code load} frame, PROTOCOL.md). Node.js cells get the
     * {@code NODE_OPTIONS} of the pool's {@code securityLevel}.
     */
    @Override
    public ContainerSpec forCell(Runtime runtime, String name, int uid, Path codeDir, Path ipcDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LOGOMESH_CELL", "1");
        env.put("LOGOMESH_SOCKET", ContainerSpec.IPC_MOUNT + "/host.sock");
        env.put("LOGOMESH_MAX_FRAME", Integer.toString(config.ipc().maxFrameBytes()));
        env.put("HOME", "/tmp");
        if (runtime == Runtime.NODEJS) {
            SecurityLevel level = SecurityLevel.fromWireName(config.prewarm().nodejs().securityLevel());
            nodeOptions(runtime, level, false).ifPresent(options -> env.put("NODE_OPTIONS", options));
            if (level != SecurityLevel.MINIMAL) {
                // its egress forwarder starts with the runtime, as a cold container's does (not at `load`: Node's
                // proxy set-up costs tens of milliseconds); it answers 403 until a networked plugin's socket is there
                env.put("LOGOMESH_CELL_EGRESS", "1");
            }
        }
        return new ContainerSpec(name, imageFor(runtime), uid, codeDir, ipcDir, Optional.empty(), env,
                ResourceRequirements.DEFAULT_MAX_MEMORY_MB * 1024L * 1024L, ResourceRequirements.DEFAULT_MAX_CPU_PERCENT,
                config.limits().pidsLimit(), config.limits().nofile(), config.limits().tmpfsMb() * 1024L * 1024L,
                config.limits().logMaxSize(), config.limits().logMaxFiles());
    }

    /** Whether the plugin gets {@code /data} (a {@code filesystem} permission): a bind mount, so never a cell. */
    boolean holdsFilesystem(PluginManifest manifest) {
        return permissions.holds(manifest, "filesystem"); // only declared: see PermissionService
    }

    ContainerSpec forPlugin(PluginManifest manifest, int uid) {
        return forPlugin(manifest, uid, data.ipcRoot().resolve(manifest.id()));
    }

    /** The container of a plugin whose IPC folder is {@code ipcDir} (an upgrade's new version uses a second one). */
    ContainerSpec forPlugin(PluginManifest manifest, int uid, java.nio.file.Path ipcDir) {
        ResourceRequirements res = manifest.resources();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LOGOMESH_PLUGIN_ID", manifest.id());
        env.put("LOGOMESH_SOCKET", ContainerSpec.IPC_MOUNT + "/host.sock");
        env.put("LOGOMESH_MAIN", manifest.main());
        env.put("LOGOMESH_MAX_FRAME", Integer.toString(config.ipc().maxFrameBytes()));
        env.put("LOGOMESH_SECURITY_LEVEL", manifest.securityLevel().wireName());
        env.put("HOME", "/tmp");
        boolean fileSystem = permissions.holds(manifest, "filesystem"); // only declared: see PermissionService
        nodeOptions(manifest, fileSystem).ifPresent(options -> env.put("NODE_OPTIONS", options));
        env.put("LOGOMESH_MAX_MEMORY_MB", Integer.toString(res.maxMemoryMB()));
        env.put("LOGOMESH_MAX_EXECUTION_MS", Long.toString(res.maxExecutionTimeMs()));
        env.put("LOGOMESH_MAX_CONCURRENCY", Integer.toString(res.maxConcurrencyFor(manifest.runtime())));
        if (res.fileSystemAccess()) {
            env.put("LOGOMESH_DATA_DIR", ContainerSpec.DATA_MOUNT);
        }
        return new ContainerSpec(
                manifest.id(),
                imageFor(manifest.runtime()),
                uid,
                store.codeDir(manifest.id()),
                ipcDir,
                fileSystem ? Optional.of(dataDir(manifest.id(), uid)) : Optional.empty(),
                env,
                res.maxMemoryMB() * 1024L * 1024L,
                res.maxCpuPercent(),
                config.limits().pidsLimit(),
                config.limits().nofile(),
                config.limits().tmpfsMb() * 1024L * 1024L,
                config.limits().logMaxSize(),
                config.limits().logMaxFiles());
    }

    /**
     * The plugin's {@code /data} folder: prepared (and bounded) here on a single host; in cluster mode the node it is
     * pinned to keeps it (docs/cluster.md), and this host's path only says that the plugin has one.
     */
    private Path dataDir(String id, int uid) {
        return "swarm".equals(config.cluster().mode()) ? store.dataDir(id) : store.prepareDataDir(id, uid);
    }

    /**
     * Node.js' permission model by {@code securityLevel} (defence in depth; the container is the
     * boundary): minimal and standard run with {@code --permission}, reading only the shim, the
     * code, {@code /tmp} (and {@code /data} with file-system access) and writing only {@code /tmp}
     * (and {@code /data}); standard adds child processes and worker threads; elevated runs without
     * the permission model.
     */
    static Optional<String> nodeOptions(PluginManifest manifest, boolean fileSystem) {
        return nodeOptions(manifest.runtime(), manifest.securityLevel(), fileSystem);
    }

    private static Optional<String> nodeOptions(Runtime runtime, SecurityLevel level, boolean fileSystem) {
        if (runtime != Runtime.NODEJS || level == PluginManifest.SecurityLevel.ELEVATED) {
            return Optional.empty();
        }
        StringBuilder options = new StringBuilder("--permission")
                .append(" --allow-fs-read=/opt/logomesh/shim/ --allow-fs-read=").append(ContainerSpec.CODE_MOUNT).append('/')
                .append(" --allow-fs-read=/tmp/ --allow-fs-write=/tmp/");
        if (fileSystem) {
            options.append(" --allow-fs-read=").append(ContainerSpec.DATA_MOUNT).append('/')
                    .append(" --allow-fs-write=").append(ContainerSpec.DATA_MOUNT).append('/');
        }
        if (level == PluginManifest.SecurityLevel.STANDARD) {
            options.append(" --allow-child-process --allow-worker");
        }
        return Optional.of(options.toString());
    }
}
