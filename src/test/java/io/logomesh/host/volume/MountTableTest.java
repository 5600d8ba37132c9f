package io.logomesh.host.volume;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading /proc/self/mountinfo: the mount point field, the kernel's octal escapes, what lies below a folder. */
class MountTableTest {

    private static final String MOUNTINFO = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            43 22 7:0 / /var/lib/lm/plugins/a/data rw,nosuid,nodev,noexec,relatime - ext4 /dev/loop0 rw
            44 22 7:1 / /var/lib/lm/plugins/b\\040c/data rw,nosuid,nodev,noexec,relatime - ext4 /dev/loop1 rw
            45 43 7:2 / /var/lib/lm/plugins/a/data/deeper rw - ext4 /dev/loop2 rw
            46 22 0:5 / /var/lib/lm-other rw - tmpfs tmpfs rw
            """;

    @Test
    void shouldFindAMountPointAndUndoTheKernelsEscapes() {
        MountTable table = MountTable.parse(MOUNTINFO);

        assertThat(table.isMountPoint(Path.of("/var/lib/lm/plugins/a/data"))).isTrue();
        assertThat(table.isMountPoint(Path.of("/var/lib/lm/plugins/b c/data"))).isTrue();
        assertThat(table.isMountPoint(Path.of("/var/lib/lm/plugins/a"))).isFalse();
    }

    @Test
    void shouldListWhatIsBelowAFolderDeepestFirstAndNotItsNamesakes() {
        MountTable table = MountTable.parse(MOUNTINFO);

        assertThat(table.below(Path.of("/var/lib/lm"))).containsExactly(
                Path.of("/var/lib/lm/plugins/a/data/deeper"),
                Path.of("/var/lib/lm/plugins/a/data"),
                Path.of("/var/lib/lm/plugins/b c/data"));
        assertThat(table.below(Path.of("/var/lib/lm/plugins/a/data"))).containsExactly(
                Path.of("/var/lib/lm/plugins/a/data/deeper"));
    }

    @Test
    void shouldLeaveABackslashThatIsNotAnEscape() {
        assertThat(MountTable.unescape("a\\b\\04")).isEqualTo("a\\b\\04");
        assertThat(MountTable.unescape("tab\\011x\\134y")).isEqualTo("tab\tx\\y");
    }

    @Test
    void shouldSkipLinesItCannotRead() {
        assertThat(MountTable.parse("garbage\n\n1 2 3\n").below(Path.of("/"))).isEmpty();
    }
}
