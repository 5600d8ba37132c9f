package io.logomesh.host.prewarm;

import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.manifest.PluginManifest.Runtime;
import io.logomesh.host.manifest.PluginManifest.SecurityLevel;

import java.util.Optional;

/**
 * The one decision "can this manifest run in a prewarmed cell, else why not". A cell is created before its
 * plugin is known, so what Docker fixes at creation and the plugin would change sends it down the cold path:
 * <ul>
 *   <li>{@value #FILESYSTEM}: {@code fileSystemAccess} or a {@code filesystem} permission, a {@code /data} bind
 *       mount (mounts cannot be added to a running container);</li>
 *   <li>{@value #NODE_LEVEL}: a Node.js plugin whose {@code securityLevel} is not the pool's, since Node's
 *       permission model ({@code NODE_OPTIONS=--permission …}) is fixed when the process starts.</li>
 * </ul>
 * Everything else a cell is given live: code (its own folder, filled before {@code load}), memory = memory+swap,
 * CPU and pids (its cgroup files, the engine told after), the plugin's settings and guard (the {@code load} frame),
 * and a network grant: every container is {@code --network none}, and the plugin's {@code egress.sock} is opened
 * in the cell's IPC folder when the plugin takes it ({@code PluginPlacedInCellEvent}), the runtime's forwarder
 * started at {@code load} (docs/egress.md).
 */
public final class CellFit {

    /** Reason: the plugin needs a {@code /data} bind mount. */
    public static final String FILESYSTEM = "filesystem";
    /** Reason: a Node.js plugin at another {@code securityLevel} than the pool's cells. */
    public static final String NODE_LEVEL = "node-security-level";

    private CellFit() {
    }

    /**
     * Why {@code manifest} cannot run in a cell, or empty when it can.
     *
     * @param holdsFilesystem whether the plugin holds the {@code filesystem} permission (it gets {@code /data})
     * @param nodeCellLevel   the {@code securityLevel} the Node.js pool's cells were started for
     */
    public static Optional<String> coldReason(PluginManifest manifest, boolean holdsFilesystem,
                                              SecurityLevel nodeCellLevel) {
        if (manifest.resources().fileSystemAccess() || holdsFilesystem) {
            return Optional.of(FILESYSTEM);
        }
        if (manifest.runtime() == Runtime.NODEJS && manifest.securityLevel() != nodeCellLevel) {
            return Optional.of(NODE_LEVEL);
        }
        return Optional.empty();
    }
}
