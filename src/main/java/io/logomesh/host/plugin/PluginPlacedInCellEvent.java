package io.logomesh.host.plugin;

import java.nio.file.Path;

/**
 * A starting plugin was given a prewarmed cell: from now on its runtime speaks in the cell's IPC folder, as the
 * cell's uid. Fired after the cell's socket speaks for the plugin and before the runtime is sent {@code load}
 * (so before any of the plugin's code runs); whoever puts something in a plugin's IPC folder (its egress socket)
 * puts it in {@code ipcDir}, for {@code uid}.
 *
 * @param pluginId the plugin
 * @param ipcDir   the cell's IPC folder (mounted at the container's {@code /run/logomesh})
 * @param uid      the uid the cell's runtime runs as
 */
public record PluginPlacedInCellEvent(String pluginId, Path ipcDir, int uid) {
}
