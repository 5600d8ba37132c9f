package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.config.AtomicFiles;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.volume.DataVolumeStatus;
import io.logomesh.host.volume.DataVolumes;
import io.logomesh.host.volume.Trees;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The installed plugins on disk: {@code <data>/plugins/<id>/} holds {@code code/} (the
 * bundle, read-only for the plugin), {@code state.json} and, when granted, {@code data/}.
 * Writes are atomic; a folder without a readable record is skipped with a warning.
 */
@ApplicationScoped
public class PluginStore {

    private static final Logger LOG = Logger.getLogger(PluginStore.class);
    /** Names of uninstalled plugins' folders waiting to be deleted (hidden: start-up deletes them too). */
    static final String RETIRED_PREFIX = ".retired-";

    private final Path root;
    private final ObjectMapper mapper;
    private final DataVolumes volumes;

    @Inject
    public PluginStore(DataFolder data, ObjectMapper mapper, DataVolumes volumes) {
        this.root = data.pluginsRoot();
        this.mapper = mapper;
        this.volumes = volumes;
    }

    /** A store whose data folders are plain folders. */
    public PluginStore(DataFolder data, ObjectMapper mapper) {
        this(data, mapper, DataVolumes.plainFolders(data));
    }

    /** The plugin's folder. */
    public Path pluginDir(String id) {
        return root.resolve(id);
    }

    /** The plugin's code folder. */
    public Path codeDir(String id) {
        return pluginDir(id).resolve("code");
    }

    /** Where an upgrade puts the new version's code until it takes over {@link #codeDir}. */
    public Path nextCodeDir(String id) {
        return pluginDir(id).resolve("code.next");
    }

    /** The code of the version before the last upgrade (what a rollback goes back to); may not exist. */
    public Path previousCodeDir(String id) {
        return pluginDir(id).resolve("previous");
    }

    private Path olderCodeDir(String id) {
        return pluginDir(id).resolve("previous.old");
    }

    /**
     * Puts {@link #nextCodeDir} in place: {@code previous} aside, {@code code} → {@code previous},
     * {@code code.next} → {@code code} (renames only: a container that has the old code mounted keeps
     * reading it). Undone by {@link #revertNextCode}, made final by {@link #finishNextCode}.
     */
    public void applyNextCode(String id) {
        try {
            if (Files.exists(previousCodeDir(id), LinkOption.NOFOLLOW_LINKS)) {
                Trees.delete(olderCodeDir(id));
                Files.move(previousCodeDir(id), olderCodeDir(id), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(codeDir(id), previousCodeDir(id), StandardCopyOption.ATOMIC_MOVE);
            Files.move(nextCodeDir(id), codeDir(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put the new code of " + id + " in place", e);
        }
    }

    /** Undoes {@link #applyNextCode}: the new code deleted, the code and previous version as they were. */
    public void revertNextCode(String id) {
        try {
            if (Files.exists(previousCodeDir(id), LinkOption.NOFOLLOW_LINKS)) {
                Trees.delete(codeDir(id));
                Files.move(previousCodeDir(id), codeDir(id), StandardCopyOption.ATOMIC_MOVE);
            }
            if (Files.exists(olderCodeDir(id), LinkOption.NOFOLLOW_LINKS)) {
                Files.move(olderCodeDir(id), previousCodeDir(id), StandardCopyOption.ATOMIC_MOVE);
            }
            Trees.delete(nextCodeDir(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the code of " + id, e);
        }
    }

    /** Makes {@link #applyNextCode} final: the version before the previous one is deleted. */
    public void finishNextCode(String id) {
        try {
            Trees.delete(olderCodeDir(id));
        } catch (IOException e) {
            LOG.warnf("cannot delete the older code of %s yet: %s", id, e.getMessage());
        }
    }

    /** After a crash half-way through an upgrade: the code folders as they were before it. */
    private void repairCode(Path dir) throws IOException {
        String id = dir.getFileName().toString();
        Trees.delete(nextCodeDir(id));
        if (!Files.exists(codeDir(id), LinkOption.NOFOLLOW_LINKS)
                && Files.exists(previousCodeDir(id), LinkOption.NOFOLLOW_LINKS)) {
            Files.move(previousCodeDir(id), codeDir(id), StandardCopyOption.ATOMIC_MOVE);
        }
        if (Files.exists(olderCodeDir(id), LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(previousCodeDir(id), LinkOption.NOFOLLOW_LINKS)) {
                Trees.delete(olderCodeDir(id));
            } else {
                Files.move(olderCodeDir(id), previousCodeDir(id), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** The plugin's writable data folder (exists only with fileSystemAccess). */
    public Path dataDir(String id) {
        return pluginDir(id).resolve("data");
    }

    /**
     * The plugin's data folder made ready for a container running as {@code uid}: its own
     * bounded file system where the host can mount one (see {@link DataVolumes}).
     */
    public Path prepareDataDir(String id, int uid) {
        try {
            return volumes.prepare(dataDir(id), uid);
        } catch (IOException e) {
            throw new ContainerLaunchException("cannot prepare /data of " + id + ": " + e.getMessage(), e);
        }
    }

    /** How data folders are bounded on this host. */
    public DataVolumeStatus dataVolumes() {
        return volumes.status();
    }

    /** A fresh folder for an upload being checked, on the same file system as the plugins. */
    public Path newStagingDir() throws IOException {
        return Files.createTempDirectory(root, ".staging-");
    }

    /** Saves a record atomically. */
    public void save(PluginRecord record) {
        try {
            AtomicFiles.write(pluginDir(record.id()).resolve("state.json"),
                    mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the state of " + record.id(), e);
        }
    }

    /** Every readable record. */
    public List<PluginRecord> loadAll() {
        List<PluginRecord> records = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.startsWith(RETIRED_PREFIX)) {
                    continue; // purged below, and a failure there only warns
                }
                if (name.startsWith(".")) {
                    deleteTree(dir); // staging left by a crash
                    continue;
                }
                Path file = dir.resolve("state.json");
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    LOG.warnf("skipping %s: no state.json", dir);
                    continue;
                }
                try {
                    repairCode(dir);
                    records.add(mapper.readValue(file.toFile(), PluginRecord.class));
                } catch (IOException e) {
                    LOG.warnf("skipping %s: unreadable state.json (%s)", dir, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        purgeRetired();
        return records;
    }

    /**
     * Removes the plugin's folder and everything in it: {@link #retire} then {@link #purgeRetired}.
     * Once this returns the id is free, even if some of the old files are still being kept for a later purge.
     *
     * @throws UncheckedIOException if the folder could not be retired; then nothing changed
     */
    public void delete(String id) {
        retire(id);
        purgeRetired();
    }

    /**
     * Takes the plugin's folder out of the store at once: its data file system unmounted, the folder
     * renamed to a hidden {@code .retired-} name (one rename, whatever the tree holds), so the id is
     * free to install again.
     *
     * @throws UncheckedIOException if it cannot be unmounted or renamed; then nothing changed
     */
    public void retire(String id) {
        volumes.release(dataDir(id));
        Path dir = pluginDir(id);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.move(dir, root.resolve(RETIRED_PREFIX + id + "-" + UUID.randomUUID()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot retire the folder of " + id, e);
        }
    }

    /**
     * Deletes every retired folder; one that cannot be deleted is warned about and tried again at the
     * next uninstall and at the next start. Answers how many are left.
     */
    public int purgeRetired() {
        int left = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, RETIRED_PREFIX + "*")) {
            for (Path dir : dirs) {
                try {
                    Trees.delete(dir);
                } catch (IOException e) {
                    left++;
                    LOG.warnf("cannot delete the retired folder %s yet (tried again at the next uninstall and start): %s",
                            dir.getFileName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot list %s for retired folders: %s", root, e.getMessage());
        }
        return left;
    }

    /** Deletes a tree without following any link in it. */
    public static void deleteTree(Path dir) {
        try {
            Trees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
