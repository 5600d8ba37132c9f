package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.manifest.ManifestParser;
import io.logomesh.host.manifest.PermissionAuthority;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the container of a plugin is told: its image per runtime and the limits the runtime enforces itself. */
class ContainerSpecsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void shouldRunWebAssemblyInTheWasmImageAndTellTheRuntimeItsLimits() {
        ContainerSpec spec = specs().forPlugin(manifest(false), 20001);

        assertThat(spec.image()).isEqualTo("logomesh-runtime-wasm:latest");
        assertThat(spec.env())
                .containsEntry("LOGOMESH_MAIN", "plugin.wasm")
                .containsEntry("LOGOMESH_MAX_MEMORY_MB", "96")
                .containsEntry("LOGOMESH_MAX_EXECUTION_MS", "1500")
                .containsEntry("LOGOMESH_MAX_CONCURRENCY", "1")
                .doesNotContainKey("LOGOMESH_DATA_DIR");
    }

    @Test
    void shouldNameTheDataFolderOnlyWithFileSystemAccess() {
        Map<String, String> env = specs().forPlugin(manifest(true), 20002).env();

        assertThat(env).containsEntry("LOGOMESH_DATA_DIR", ContainerSpec.DATA_MOUNT);
    }

    private ContainerSpecs specs() {
        HostConfig config = TestDataFolders.config(temp.resolve("data"), Map.of());
        DataFolder data = new DataFolder(config);
        return new ContainerSpecs(config, data, new PluginStore(data, JSON), PermissionAuthority::declares);
    }

    /** The echo-wasm fixture's manifest with 96 MB, 1.5 s and the given file system access. */
    private static PluginManifest manifest(boolean fileSystemAccess) {
        try {
            ObjectNode m = (ObjectNode) JSON.readTree(Path.of("src/test/resources/plugins/echo-wasm/manifest.json").toFile());
            m.with("resourceRequirements").put("maxMemoryMB", 96).put("maxExecutionTimeMs", 1500)
                    .put("fileSystemAccess", fileSystemAccess);
            return new ManifestParser().parse(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
