package io.logomesh.host.fuzz;

import io.logomesh.host.plugin.PluginStore;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.volume.DataVolumes;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The host for the REST fuzz: its data folder is {@code <box>/data} in a fresh folder of its own,
 * so the test can check that nothing is ever written next to it ({@link #BOX}).
 */
public class FuzzHostResource implements QuarkusTestResourceLifecycleManager {

    /** The folder holding the host's data folder, and nothing else. */
    static volatile Path BOX;

    @Override
    public Map<String, String> start() {
        try {
            BOX = Files.createTempDirectory("lm-fuzz-");
            Files.createDirectory(BOX.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "logomesh.data-dir", BOX.resolve("data").toString(),
                "logomesh.plugins-dir", BOX.resolve("data").resolve("no-plugins").toString(),
                "logomesh.api-token", HostTestResource.TOKEN,
                "logomesh.lifecycle.stop-grace", "1s",
                "logomesh.lifecycle.activation-timeout", "6s",
                "logomesh.lifecycle.call-timeout", "2s",
                "logomesh.bundle.max-bytes", "1048576");
    }

    @Override
    public void stop() {
        if (BOX != null) {
            DataVolumes.unmountBelow(BOX);
            PluginStore.deleteTree(BOX);
        }
    }
}
