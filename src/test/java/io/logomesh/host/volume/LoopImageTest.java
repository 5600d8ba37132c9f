package io.logomesh.host.volume;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The image itself, with real loop mounts: a file that is no file system, and a mount the host still holds. */
class LoopImageTest {

    @TempDir
    Path temp;

    @AfterEach
    void unmount() {
        DataVolumes.unmountBelow(temp);
    }

    @Test
    void shouldRefuseToMountWhatIsNotAFileSystemAfterTryingToRepairIt() throws IOException {
        Path image = temp.resolve("garbage.img");
        Files.write(image, new byte[1 << 20]);
        Path dir = Files.createDirectory(temp.resolve("mnt"));

        assertThatThrownBy(() -> LoopImage.mount(image, dir)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("mount exited")
                .satisfies(e -> assertThat(e.getSuppressed()).isNotEmpty());
        assertThat(MountTable.read().isMountPoint(dir.toRealPath())).isFalse();
    }

    @Test
    void shouldDetachAMountTheHostStillHasAFileOpenIn() throws IOException {
        Path image = temp.resolve("d.img");
        Path dir = Files.createDirectory(temp.resolve("d"));
        LoopImage.create(image, 4L << 20);
        LoopImage.mount(image, dir);

        try (FileChannel open = FileChannel.open(dir.resolve("held"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            LoopImage.unmount(dir.toRealPath());
            assertThat(MountTable.read().isMountPoint(dir.toRealPath())).as("detached at once, freed when closed").isFalse();
            assertThat(open.isOpen()).isTrue();
        }
    }

    @Test
    void shouldLeaveNoImageWhenTheFileSystemCannotBeMade() {
        Path image = temp.resolve("tiny.img");

        assertThatThrownBy(() -> LoopImage.create(image, 4096)).as("too small for ext4")
                .isInstanceOf(IOException.class).hasMessageStartingWith("mkfs.ext4 exited");
        assertThat(image).doesNotExist();
    }
}
