package io.logomesh.host.volume;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.config.HostConfig.Limits.DataQuota;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The plugins' writable {@code /data} folders. With {@code logomesh.limits.data-quota} {@code auto}
 * (the default) or {@code image}, each is a loop-mounted ext4 image of {@code data-mb} beside it
 * ({@code <plugin>/data.img}), so a plugin that fills it gets ENOSPC and the host's disk keeps the
 * rest. {@code auto} falls back to plain folders, with a warning, where the host may not mount
 * (not root, no loop device, inside an unprivileged container); {@code image} refuses to start
 * there; {@code none} always uses plain folders.
 * <p>
 * Mounts outlive a crash of the host: a folder still mounted is used as it is. Uninstall and a
 * normal shutdown unmount.
 */
@ApplicationScoped
public class DataVolumes {

    private static final Logger LOG = Logger.getLogger(DataVolumes.class);
    private static final long MIB = 1024L * 1024L;
    private static final long PROBE_BYTES = 4 * MIB;

    private final Path pluginsRoot;
    private final int sizeMb;
    private final DataQuota quota;
    private DataVolumeStatus status;

    @Inject
    public DataVolumes(HostConfig config, DataFolder data) {
        this(data.pluginsRoot(), config.limits().dataMb(), config.limits().dataQuota());
    }

    private DataVolumes(Path pluginsRoot, int sizeMb, DataQuota quota) {
        this.pluginsRoot = pluginsRoot;
        this.sizeMb = sizeMb;
        this.quota = quota;
    }

    /** Plain folders, never mounted (for code that runs without the service, such as tests of the store). */
    public static DataVolumes plainFolders(DataFolder data) {
        return new DataVolumes(data.pluginsRoot(), 0, DataQuota.NONE);
    }

    void onStart(@Observes StartupEvent event) {
        DataVolumeStatus s = status();
        if (quota == DataQuota.IMAGE && !s.bounded()) {
            throw new IllegalStateException("logomesh.limits.data-quota=image, but " + s.reason());
        }
        if (s.bounded()) {
            LOG.infof("each plugin's /data is an ext4 image of %d MiB", sizeMb);
        } else if (quota == DataQuota.AUTO) {
            LOG.warnf("plugins' /data folders are NOT size-bounded (%s); a plugin with fileSystemAccess can fill "
                    + "the disk of %s", s.reason(), pluginsRoot);
        }
    }

    /** How /data is bounded here; probes once whether this host may mount an image. */
    public synchronized DataVolumeStatus status() {
        if (status == null) {
            status = quota == DataQuota.NONE ? DataVolumeStatus.folder("logomesh.limits.data-quota=none") : probe();
        }
        return status;
    }

    /**
     * Makes {@code dir} (a plugin's data folder, never a link) ready: mounted when bounded,
     * owned by {@code uid} and closed to everyone else.
     */
    public synchronized Path prepare(Path dir, int uid) throws IOException {
        if (Files.isSymbolicLink(dir)) { // never mount on, chown or chmod through a link, whoever planted it
            throw new IOException(dir + " is a symbolic link");
        }
        Files.createDirectories(dir);
        if (status().bounded()) {
            mount(dir);
        }
        own(dir, uid);
        return dir;
    }

    /** Unmounts {@code dir} if it is mounted, so that its folder can be deleted. */
    public synchronized void release(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Path real = dir.toRealPath();
            if (MountTable.read().isMountPoint(real)) {
                LoopImage.unmount(real);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unmount " + dir, e);
        }
    }

    /** At shutdown: unmounts every data folder below the plugins' root (their containers are gone by then). */
    @PreDestroy
    public synchronized void releaseAll() {
        unmountBelow(pluginsRoot);
    }

    /** Unmounts whatever is mounted below {@code root}, deepest first; returns how many. */
    public static int unmountBelow(Path root) {
        int count = 0;
        try {
            for (Path mounted : MountTable.read().below(root.toRealPath())) {
                try {
                    LoopImage.unmount(mounted);
                    count++;
                } catch (IOException e) {
                    LOG.warnf("cannot unmount %s: %s", mounted, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.debugf("nothing to unmount below %s: %s", root, e.getMessage());
        }
        return count;
    }

    private void mount(Path dir) throws IOException {
        Path real = dir.toRealPath();
        if (MountTable.read().isMountPoint(real)) {
            return; // mounted before a crash of the host, or by an earlier launch
        }
        Path image = real.resolveSibling(real.getFileName() + ".img");
        if (Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
            LoopImage.mount(image, real);
        } else if (isEmpty(real)) {
            createAndMount(image, real);
        } else {
            moveIntoNewImage(image, real);
        }
    }

    private void createAndMount(Path image, Path real) throws IOException {
        LoopImage.create(image, sizeMb * MIB);
        LoopImage.mount(image, real);
        Files.deleteIfExists(real.resolve("lost+found")); // e2fsck makes it again if ever needed
    }

    /**
     * A plain data folder from before /data was bounded (an older host, or {@code data-quota=none}):
     * its files move into the new image, links copied as links. If they do not fit, everything is
     * put back as it was and the plugin cannot start until they do.
     */
    private void moveIntoNewImage(Path image, Path real) throws IOException {
        Path old = real.resolveSibling(real.getFileName() + ".unbounded");
        Trees.delete(old); // a half-done move of an earlier attempt, whose files are still in `real`
        Files.move(real, old);
        Files.createDirectory(real);
        try {
            createAndMount(image, real);
            Trees.copy(old, real);
        } catch (IOException e) {
            unmountBelow(real.getParent());
            Files.deleteIfExists(image);
            Files.delete(real);
            Files.move(old, real);
            throw new IOException("its existing files do not fit in a " + sizeMb + " MiB /data image (" + e.getMessage()
                    + "); raise logomesh.limits.data-mb or remove files", e);
        }
        Trees.delete(old);
        LOG.infof("%s: the files of the plain folder moved into its new %d MiB image", real, sizeMb);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    private static void own(Path dir, int uid) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        try {
            Files.setAttribute(dir, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.warnf("cannot hand %s to uid %d (%s); opening it to all", dir, uid, e.getMessage());
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
    }

    /** Makes, mounts and unmounts a small image in a scratch folder: the plain answer to "may this host mount?". */
    private DataVolumeStatus probe() {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("logomesh-volume-probe-");
            Path image = scratch.resolve("probe.img");
            Path dir = Files.createDirectory(scratch.resolve("mnt"));
            LoopImage.create(image, PROBE_BYTES);
            LoopImage.mount(image, dir);
            LoopImage.unmount(dir);
            return DataVolumeStatus.image(sizeMb);
        } catch (IOException e) {
            return DataVolumeStatus.folder("this host cannot mount a loop image: " + e.getMessage());
        } finally {
            if (scratch != null) {
                unmountBelow(scratch);
                deleteQuietly(scratch);
            }
        }
    }

    private static void deleteQuietly(Path scratch) {
        try {
            Trees.delete(scratch);
        } catch (IOException e) {
            LOG.debugf("cannot delete %s: %s", scratch, e.getMessage());
        }
    }
}
