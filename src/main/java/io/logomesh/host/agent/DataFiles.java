package io.logomesh.host.agent;

import io.logomesh.host.container.docker.swarm.NodeFolders;
import io.logomesh.host.ipc.relay.RelayHeader;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The {@code /data} folders of the plugins pinned to this node ({@code fileSystemAccess} in cluster mode):
 * {@code <data root>/<node id>/<plugin id>/data}, bind-mounted read-write at {@code /data} into the plugin's task.
 * As on a single host, the folder is the plugin's uid's, mode 0700, and nobody else's; the folders above it are the
 * agent's (root, 0755), so the plugin can neither replace its folder nor reach another's. It outlives the plugin's
 * services (stopping, restarting and forgetting the plugin keep it) and goes only when the control plane says the
 * plugin is uninstalled ({@link #release}). Nothing is followed through a symlink. Its size is not bounded here:
 * only by the node's disk (SECURITY.md).
 */
final class DataFiles {

    /** Plugins run as non-root uids. */
    private static final int MIN_UID = 1000;
    /** How often a release empties a folder that is still being written to. */
    static final int RELEASE_ATTEMPTS = 5;

    private final NodeFolders folders;
    private final String nodeId;

    DataFiles(NodeFolders folders, String nodeId) {
        this.folders = folders;
        this.nodeId = nodeId;
    }

    /**
     * Makes the plugin's data folder ready for {@code uid}: created if missing, handed to that uid, 0700. With
     * {@code fresh} (the plugin's first placement: no data of it can be meant to be here) whatever an earlier
     * install of the same id left is emptied first.
     *
     * @return the folder
     */
    Path prepare(String pluginId, int uid, boolean fresh) throws IOException {
        Path data = folder(pluginId);
        if (uid < MIN_UID) {
            throw new IllegalArgumentException("a plugin never runs as uid " + uid);
        }
        Path parent = data.getParent();
        Files.createDirectories(parent);
        if (Files.isSymbolicLink(parent) || Files.isSymbolicLink(data)) {
            throw new IOException("a symlink where the data folder of " + pluginId + " goes");
        }
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (fresh) {
            CodeFiles.empty(data);
        }
        if (!Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(data);
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(data, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(data, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
        return data;
    }

    /**
     * Removes the plugin's data folder and everything in it (the plugin was uninstalled); none is fine. Its last task
     * may still be stopping and writing: emptied again, a few times, until the folder goes.
     */
    void release(String pluginId) throws IOException {
        Path data = folder(pluginId);
        for (int attempt = 1; ; attempt++) {
            try {
                CodeFiles.empty(data);
                Files.deleteIfExists(data);
                break;
            } catch (DirectoryNotEmptyException | java.nio.file.NoSuchFileException raced) {
                if (attempt == RELEASE_ATTEMPTS) {
                    throw raced;
                }
                pause();
            }
        }
        try {
            Files.deleteIfExists(data.getParent());
        } catch (DirectoryNotEmptyException planted) {
            // something else in the plugin's folder (the slots' code and IPC folders are elsewhere: NodeFolders)
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while removing a data folder", e);
        }
    }

    /** The plugin's data folder on this node. */
    Path folder(String pluginId) {
        if (!RelayHeader.PLUGIN_ID.matcher(pluginId).matches()) {
            throw new IllegalArgumentException("not a plugin id: " + pluginId);
        }
        return folders.dataOnNode(nodeId, pluginId);
    }
}
