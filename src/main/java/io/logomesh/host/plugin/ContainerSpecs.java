package io.logomesh.host.plugin;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.manifest.PermissionAuthority;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.manifest.ResourceRequirements;
import io.logomesh.host.manifest.PluginManifest.Runtime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a manifest to the container that runs it: the runtime image, the plugin's own
 * uid, its folders, an environment made only of the host's own variables, and the
 * limits from {@code resourceRequirements} plus the host-wide caps.
 */
@ApplicationScoped
public class ContainerSpecs {

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
                fileSystem ? Optional.of(store.prepareDataDir(manifest.id(), uid)) : Optional.empty(),
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
     * Node.js' permission model by {@code securityLevel} (defence in depth; the container is the
     * boundary): minimal and standard run with {@code --permission}, reading only the shim, the
     * code, {@code /tmp} (and {@code /data} with file-system access) and writing only {@code /tmp}
     * (and {@code /data}); standard adds child processes and worker threads; elevated runs without
     * the permission model.
     */
    static Optional<String> nodeOptions(PluginManifest manifest, boolean fileSystem) {
        if (manifest.runtime() != Runtime.NODEJS || manifest.securityLevel() == PluginManifest.SecurityLevel.ELEVATED) {
            return Optional.empty();
        }
        StringBuilder options = new StringBuilder("--permission")
                .append(" --allow-fs-read=/opt/logomesh/shim/ --allow-fs-read=").append(ContainerSpec.CODE_MOUNT).append('/')
                .append(" --allow-fs-read=/tmp/ --allow-fs-write=/tmp/");
        if (fileSystem) {
            options.append(" --allow-fs-read=").append(ContainerSpec.DATA_MOUNT).append('/')
                    .append(" --allow-fs-write=").append(ContainerSpec.DATA_MOUNT).append('/');
        }
        if (manifest.securityLevel() == PluginManifest.SecurityLevel.STANDARD) {
            options.append(" --allow-child-process --allow-worker");
        }
        return Optional.of(options.toString());
    }
}
