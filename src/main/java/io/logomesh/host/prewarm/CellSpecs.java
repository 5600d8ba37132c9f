package io.logomesh.host.prewarm;

import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.manifest.PluginManifest.Runtime;

import java.nio.file.Path;

/**
 * Builds the container of a cell: the runtime's image and the same lockdown as a plugin's container, with no
 * plugin in it yet (implemented beside the cold path's specs, so both share one environment and one set of
 * limits).
 */
public interface CellSpecs {

    /**
     * The spec of a cell named {@code logomesh-<name>}, running as {@code uid}, its code folder (empty until a
     * plugin takes it) and IPC folder mounted read-only, no network, no {@code /data}, the default limits; its
     * environment says {@code LOGOMESH_CELL=1} and holds none of a plugin's values.
     */
    ContainerSpec forCell(Runtime runtime, String name, int uid, Path codeDir, Path ipcDir);
}
