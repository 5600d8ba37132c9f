package io.logomesh.host.agent;

import io.logomesh.host.container.docker.swarm.NodeFolders;
import io.logomesh.host.container.docker.swarm.PluginSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node agent's data folders, on a real file system (the test runs as root, as the agent does). */
class DataFilesTest {

    private static final String NODE = "n0de1d0f7hetestsw4rm00001";

    @TempDir
    Path dir;

    @Test
    void shouldGiveThePluginItsOwnDataFolderOwnedByItsUidAndClosedToEveryoneElse() throws Exception {
        DataFiles files = new DataFiles(new NodeFolders(dir.resolve("nodes"), dir.resolve("disk")), NODE);

        Path data = files.prepare("notes", 20_001, true);

        assertThat(data).isEqualTo(dir.resolve("disk").resolve(NODE).resolve("notes").resolve("data"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(Files.getAttribute(data, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(20_001);
        assertThat(Files.getAttribute(data, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(20_001);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.getParent())))
                .as("the folder above it is the agent's").isEqualTo("rwxr-xr-x");
        assertThat(Files.getAttribute(data.getParent(), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0);
    }

    @Test
    void shouldKeepTheDataWhenPreparedAgainAndWhenThePluginIsForgottenAndEmptyItOnlyWhenFresh() throws Exception {
        NodeFolders folders = new NodeFolders(dir.resolve("nodes"));
        PluginPosts posts = new PluginPosts(folders, NODE, (pluginId, plugin, onClosed) -> () -> { });
        try {
            posts.prepare("notes", 20_001, Map.of("main.py", "x".getBytes()));
            posts.prepareData("notes", 20_001, true);
            Path data = folders.dataOnNode(NODE, "notes");
            Files.writeString(data.resolve("kept.txt"), "mine");

            posts.forget("notes");
            assertThat(folders.onNode(NODE, PluginSlot.first("notes")).resolve("code")).doesNotExist();
            assertThat(folders.onNode(NODE, PluginSlot.first("notes")).resolve("ipc")).doesNotExist();
            assertThat(data.resolve("kept.txt")).as("forgotten, its data stays").hasContent("mine");

            posts.prepare("notes", 20_001, Map.of("main.py", "x".getBytes()));
            posts.prepareData("notes", 20_001, false);
            assertThat(data.resolve("kept.txt")).as("prepared again").hasContent("mine");

            posts.prepareData("notes", 20_001, true);
            assertThat(data).as("a first placement (an earlier install's leftovers)").isEmptyDirectory();
        } finally {
            posts.close();
        }
    }

    @Test
    void shouldDeleteTheDataFolderAndWhatIsInItWithoutFollowingLinksWhenReleased() throws Exception {
        NodeFolders folders = new NodeFolders(dir.resolve("nodes"));
        PluginPosts posts = new PluginPosts(folders, NODE, (pluginId, plugin, onClosed) -> () -> { });
        Path outside = Files.writeString(dir.resolve("outside.txt"), "host file");
        try {
            posts.prepare("notes", 20_001, Map.of("main.py", "x".getBytes()));
            posts.prepareData("notes", 20_001, true);
            Path data = folders.dataOnNode(NODE, "notes");
            Files.createDirectories(data.resolve("a/b"));
            Files.writeString(data.resolve("a/b/c.txt"), "deep");
            Files.createSymbolicLink(data.resolve("link"), outside);
            Files.createSymbolicLink(data.resolve("dirlink"), dir);

            posts.release("notes");

            assertThat(folders.onNode(NODE, PluginSlot.first("notes"))).doesNotExist();
            assertThat(outside).hasContent("host file");
            assertThat(posts.size()).isZero();
            posts.release("notes"); // again: nothing left, fine
        } finally {
            posts.close();
        }
    }

    @Test
    void shouldRefuseASymlinkWhereTheDataFolderGoesAndABadIdOrUid() throws Exception {
        NodeFolders folders = new NodeFolders(dir.resolve("nodes"));
        DataFiles files = new DataFiles(folders, NODE);
        Path target = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(folders.dataOnNode(NODE, "notes").getParent());
        Files.createSymbolicLink(folders.dataOnNode(NODE, "notes"), target);

        assertThatThrownBy(() -> files.prepare("notes", 20_001, true)).hasMessageContaining("symlink");
        assertThat(Files.getAttribute(target, "unix:uid")).as("not handed to the plugin").isEqualTo(0);
        assertThatThrownBy(() -> files.prepare("../x", 20_001, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> files.prepare("other", 0, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
