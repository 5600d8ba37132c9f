package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.manifest.BundleLoader;
import io.logomesh.host.manifest.PluginManifest;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of {@code logomesh.plugins-dir} whose id is installed already, at start-up: when its files differ
 * from the installed code (SHA-256 over each regular file's relative path and bytes), it is upgraded in place
 * ({@code on-change=upgrade}, unless its version is lower: never a silent downgrade) or reported
 * ({@code on-change=report}). A folder equal to what is installed is left alone without a word.
 */
final class FolderChanges {

    private static final Logger LOG = Logger.getLogger(FolderChanges.class);

    private FolderChanges() {
    }

    static void handle(Path dir, PluginManager manager, PluginStore store, BundleLoader loader,
                       HostConfig.Plugins.OnChange mode) {
        PluginManifest folder;
        try {
            folder = loader.load(dir).manifest();
        } catch (PluginHostException | UncheckedIOException e) {
            LOG.warnf("plugin folder %s cannot be read: %s", dir, e.getMessage());
            return;
        }
        String id = folder.id();
        PluginHandle installed = manager.find(id).orElse(null);
        if (installed == null || digest(dir).equals(digest(store.codeDir(id)))) {
            return;
        }
        String versions = installed.manifest().version() + " installed, " + folder.version() + " in " + dir;
        if (mode == HostConfig.Plugins.OnChange.REPORT) {
            LOG.warnf("plugin folder differs from installed plugin %s (%s); not applied "
                    + "(logomesh.plugins.on-change=report; upgrade it with PUT /api/v1/plugins/%s)", id, versions, id);
            return;
        }
        if (folder.version().compareTo(installed.manifest().version()) < 0) {
            LOG.warnf("plugin folder holds an older version of plugin %s (%s); not applied (roll back explicitly)",
                    id, versions);
            return;
        }
        try {
            manager.upgrade(id, FolderPacker.pack(dir));
            LOG.infof("plugin %s upgraded from its changed folder (%s)", id, versions);
        } catch (PluginHostException e) {
            LOG.warnf("plugin folder %s differs from installed plugin %s but the upgrade was refused: %s", dir, id,
                    e.getMessage());
        }
    }

    /** SHA-256 over the sorted relative paths and bytes of the regular files under {@code root}. */
    static String digest(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            for (Path f : files) {
                sha.update(root.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                try (InputStream in = Files.newInputStream(f)) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                    }
                }
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
