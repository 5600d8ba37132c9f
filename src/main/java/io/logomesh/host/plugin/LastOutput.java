package io.logomesh.host.plugin;

import io.logomesh.host.config.AtomicFiles;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerLogs;
import io.logomesh.host.container.LogTail;
import io.logomesh.host.container.PluginContainer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps the last output of a plugin container that crashed, timed out, was OOM-killed or failed to activate, so
 * that a FAILED plugin still shows why once its container is gone: {@link #keep} is called right before such a
 * container is removed ({@code PluginSession.kill}/{@code endAfterCrash}, {@code SessionLauncher.failed}) and
 * writes {@code <data>/logs/<id>/last-output.log}, at most {@code logomesh.logs.max-lines} lines and
 * {@code logomesh.logs.max-bytes} bytes (each line timestamped by the engine), replacing the one before. An
 * uninstalled plugin's file goes with it. Never fails the removal it precedes.
 */
@ApplicationScoped
public class LastOutput {

    /** First line of a kept output. */
    public static final String HEADER = "[logomesh] last output of container ";
    private static final Logger LOG = Logger.getLogger(LastOutput.class);

    private final ContainerLogs logs;
    private final Path root;
    private final int maxLines;

    @Inject
    public LastOutput(ContainerLogs logs, DataFolder data, HostConfig config) {
        this.logs = logs;
        this.root = data.root().resolve("logs");
        this.maxLines = config.logs().maxLines();
    }

    /** Reads what the container wrote and keeps it as the plugin's last output; {@code why}: crash, oom, timeout…. */
    public void keep(String pluginId, PluginContainer container, String why) {
        try {
            String text = logs.timedTail(container.id(), maxLines);
            String id = container.id().length() > 12 ? container.id().substring(0, 12) : container.id();
            String header = HEADER + id + " (" + PluginLogText.sanitise(why, 128) + ") at " + Instant.now() + "\n";
            AtomicFiles.write(file(pluginId), (header + text).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("plugin %s: could not keep the last output of its container: %s", pluginId, e.getMessage());
        }
    }

    /** The kept output (header line first), if any. */
    public Optional<String> read(String pluginId) {
        Path file = file(pluginId);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.of(LogTail.MARKER + "the kept last output cannot be read\n");
        }
    }

    void onStateChange(@Observes PluginStateEvent event) {
        if (event.to() == PluginState.UNINSTALLED) {
            try {
                Files.deleteIfExists(file(event.pluginId()));
                Files.deleteIfExists(file(event.pluginId()).getParent());
            } catch (IOException e) {
                LOG.debugf("plugin %s: last output not deleted: %s", event.pluginId(), e.getMessage());
            }
        }
    }

    private Path file(String pluginId) {
        return root.resolve(pluginId).resolve("last-output.log");
    }
}
