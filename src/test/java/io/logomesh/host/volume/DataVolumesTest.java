package io.logomesh.host.volume;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each plugin's /data as its own ext4 image, with real loop mounts (the host, like {@code make test},
 * runs as root): the size holds, the data survives an unmount and a crash of the host, and a
 * folder that is a link is refused.
 */
class DataVolumesTest {

    private static final int UID = 20_123;

    @TempDir
    Path temp;

    @AfterEach
    void unmount() {
        DataVolumes.unmountBelow(temp);
    }

    private DataVolumes volumes(String quota) {
        HostConfig config = TestDataFolders.config(temp.resolve("data"),
                Map.of("logomesh.limits.data-mb", "8", "logomesh.limits.data-quota", quota));
        return new DataVolumes(config, new DataFolder(config));
    }

    private Path dataDir(String id) {
        return temp.resolve("data/plugins").resolve(id).resolve("data");
    }

    @Test
    void shouldMountAnImageOfTheConfiguredSizeThatEndsInEnospc() throws IOException {
        DataVolumes volumes = volumes("auto");
        assertThat(volumes.status()).isEqualTo(DataVolumeStatus.image(8));

        Path dir = volumes.prepare(dataDir("p1"), UID);

        assertThat(MountTable.read().isMountPoint(dir.toRealPath())).isTrue();
        assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(UID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(dir).isEmptyDirectory();
        long written = fill(dir.resolve("fill"), 64);
        assertThat(written).as("ENOSPC before 8 MiB").isPositive().isLessThan(8L << 20);
        assertThat(Files.size(dir.resolveSibling("data.img"))).isEqualTo(8L << 20);
    }

    @Test
    void shouldKeepTheDataAcrossAnUnmountAndACrashOfTheHost() throws IOException {
        DataVolumes volumes = volumes("auto");
        Path dir = volumes.prepare(dataDir("p2"), UID);
        Files.writeString(dir.resolve("kept"), "yes");

        volumes.release(dir);
        assertThat(MountTable.read().isMountPoint(dir.toRealPath())).isFalse();
        assertThat(dir.resolve("kept")).doesNotExist();

        volumes.prepare(dir, UID);
        assertThat(dir.resolve("kept")).hasContent("yes");

        // a new host process finds it still mounted (the old one was killed) and uses it as it is
        DataVolumes afterCrash = volumes("auto");
        afterCrash.prepare(dir, UID);
        assertThat(dir.resolve("kept")).hasContent("yes");
        assertThat(MountTable.read().below(temp)).hasSize(1);

        afterCrash.releaseAll();
        assertThat(MountTable.read().below(temp)).isEmpty();
    }

    @Test
    void shouldRefuseAFolderThatIsALink() throws IOException {
        DataVolumes volumes = volumes("auto");
        Path dir = dataDir("p3");
        Files.createDirectories(dir.getParent());
        Files.createSymbolicLink(dir, temp);

        assertThatThrownBy(() -> volumes.prepare(dir, UID)).isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link");
        assertThat(MountTable.read().below(temp)).isEmpty();
    }

    @Test
    void shouldUsePlainFoldersWhenToldTo() throws IOException {
        DataVolumes volumes = volumes("none");
        assertThat(volumes.status()).isEqualTo(DataVolumeStatus.folder("logomesh.limits.data-quota=none"));

        Path dir = volumes.prepare(dataDir("p4"), UID);

        assertThat(MountTable.read().isMountPoint(dir.toRealPath())).isFalse();
        assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(UID);
        assertThat(dir.resolveSibling("data.img")).doesNotExist();
    }

    @Test
    void shouldMoveTheFilesOfAPlainFolderIntoItsNewImageAndCopyLinksAsLinks() throws IOException {
        Path dir = dataDir("p5");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/kept"), "from before");
        Files.setAttribute(dir.resolve("sub/kept"), "unix:uid", UID);
        Files.createSymbolicLink(dir.resolve("passwd"), Path.of("/etc/passwd"));

        volumes("auto").prepare(dir, UID);

        assertThat(MountTable.read().isMountPoint(dir.toRealPath())).isTrue();
        assertThat(dir.resolve("sub/kept")).hasContent("from before");
        assertThat(Files.getAttribute(dir.resolve("sub/kept"), "unix:uid")).isEqualTo(UID);
        assertThat(Files.isSymbolicLink(dir.resolve("passwd"))).isTrue();
        assertThat(Files.readSymbolicLink(dir.resolve("passwd"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(dir.resolveSibling("data.unbounded")).doesNotExist();
        assertThat(Path.of("/etc/passwd")).as("the link's target is untouched").isNotEmptyFile();
    }

    @Test
    void shouldPutAPlainFolderBackWhenItsFilesDoNotFit() throws IOException {
        Path dir = dataDir("p6");
        Files.createDirectories(dir);
        Files.write(dir.resolve("big"), new byte[12 << 20]);

        assertThatThrownBy(() -> volumes("auto").prepare(dir, UID)).isInstanceOf(IOException.class)
                .hasMessageContaining("do not fit in a 8 MiB /data image");

        assertThat(MountTable.read().isMountPoint(dir.toRealPath())).isFalse();
        assertThat(dir.resolve("big")).hasSize(12 << 20);
        assertThat(dir.resolveSibling("data.img")).doesNotExist();
        assertThat(dir.resolveSibling("data.unbounded")).doesNotExist();
    }

    @Test
    void shouldStartQuietlyAndReleaseWhatIsNotThere() {
        DataVolumes volumes = volumes("auto");
        volumes.onStart(null);
        volumes("none").onStart(null);

        volumes.release(dataDir("never-made"));
        assertThat(MountTable.read().below(temp)).isEmpty();
    }

    /** Writes 1 MiB chunks until the file system is full (or {@code maxMb}); returns how much went in. */
    private static long fill(Path file, int maxMb) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < maxMb; i++) {
                out.write(chunk);
                written += chunk.length;
            }
            out.flush();
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left on device");
            return written;
        }
        return written;
    }
}
