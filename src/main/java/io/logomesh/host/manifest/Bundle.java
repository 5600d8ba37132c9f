package io.logomesh.host.manifest;

import java.nio.file.Path;

/**
 * A validated plugin bundle on disk.
 *
 * @param root     the folder holding {@code manifest.json} (for a bundle packed as one top-level
 *                 folder, that inner folder)
 * @param manifest the parsed manifest; its {@link PluginManifest#main()} exists as a regular file under {@code root}
 */
public record Bundle(Path root, PluginManifest manifest) {

    /** The absolute path of the plugin's entry file. */
    public Path mainFile() {
        return root.resolve(manifest.main());
    }
}
