package io.logomesh.host.support;

import io.logomesh.host.plugin.PluginStore;
import io.logomesh.host.volume.DataVolumes;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Gives each test run of the host a fresh data folder and a known API token. */
public class HostTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-token-0123456789";

    private Path dataDir;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("lm-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "logomesh.data-dir", dataDir.toString(),
                "logomesh.api-token", TOKEN,
                "logomesh.lifecycle.stop-grace", "1s",
                "logomesh.lifecycle.activation-timeout", "6s",
                "logomesh.lifecycle.call-timeout", "2s",
                "logomesh.bundle.max-bytes", "1048576");
    }

    @Override
    public void stop() {
        if (dataDir != null) {
            DataVolumes.unmountBelow(dataDir); // left mounted only if the host did not shut down cleanly
            PluginStore.deleteTree(dataDir);
        }
    }
}
