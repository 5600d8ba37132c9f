package io.logomesh.host.agent;

import io.logomesh.host.container.docker.swarm.NodeFolders;
import io.logomesh.host.container.docker.swarm.PluginSlot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plugin's {@code egress.sock} on its node ({@link PluginPosts}, {@link EgressPost}): opened beside its
 * {@code host.sock} only when the order says it holds {@code network}, owned by the plugin's uid alone, closed when
 * prepared again without it and when forgotten; a connection from any other uid is closed, never relayed.
 */
@Timeout(30)
class EgressPostTest {

    private static final String NODE = "n0de1d0f7hetestsw4rm00001";
    private static final int UID = 20_001;

    @TempDir
    Path dir;

    private final List<String> relayed = new CopyOnWriteArrayList<>();
    private NodeFolders folders;
    private PluginPosts posts;

    @BeforeEach
    void posts() {
        folders = new NodeFolders(dir.resolve("nodes"));
        Relay host = (pluginId, plugin, onClosed) -> {
            throw new java.io.IOException("no host relay in this test");
        };
        Relay egress = (pluginId, plugin, onClosed) -> {
            relayed.add(pluginId);
            plugin.close();
            return () -> { };
        };
        posts = new PluginPosts(folders, NODE, host, egress);
    }

    @AfterEach
    void close() {
        posts.close();
    }

    @Test
    void shouldOpenTheEgressSocketOnlyForAPluginThatHoldsNetwork() throws Exception {
        posts.prepare("net", UID, Map.of("main.py", new byte[0]), true);
        posts.prepare("quiet", UID + 1, Map.of("main.py", new byte[0]), false);

        Path socket = ipc("net").resolve(EgressPost.SOCKET_NAME);
        assertThat(socket).exists();
        assertThat(ipc("net").resolve("host.sock")).exists();
        assertThat((Integer) Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(UID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        assertThat(ipc("quiet").resolve(EgressPost.SOCKET_NAME)).doesNotExist();
        assertThat(ipc("quiet").resolve("host.sock")).exists();
        assertThat(posts.hasEgress("net")).isTrue();
        assertThat(posts.hasEgress("quiet")).isFalse();
    }

    @Test
    void shouldCloseTheEgressSocketWhenPreparedWithoutNetworkAndWhenForgotten() throws Exception {
        posts.prepare("net", UID, Map.of("main.py", new byte[0]), true);

        posts.prepare("net", UID, Map.of("main.py", new byte[0]), false);
        assertThat(ipc("net").resolve(EgressPost.SOCKET_NAME)).doesNotExist();
        assertThat(ipc("net").resolve("host.sock")).as("its host.sock stays").exists();

        posts.prepare("net", UID, Map.of("main.py", new byte[0]), true);
        assertThat(ipc("net").resolve(EgressPost.SOCKET_NAME)).exists();
        posts.forget("net");
        assertThat(ipc("net").resolve(EgressPost.SOCKET_NAME)).doesNotExist();
        assertThat(posts.hasEgress("net")).isFalse();
    }

    @Test
    void shouldCloseAConnectionFromAnotherUidWithoutRelayingIt() throws Exception {
        posts.prepare("net", UID, Map.of("main.py", new byte[0]), true);

        try (SocketChannel stranger = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            stranger.connect(UnixDomainSocketAddress.of(ipc("net").resolve(EgressPost.SOCKET_NAME)));
            try {
                stranger.write(ByteBuffer.wrap("CONNECT x:1 HTTP/1.1\r\n\r\n".getBytes()));
            } catch (java.io.IOException closedFirst) {
                // the agent may close the stranger's connection before the request is written: refused all the same
            }
            assertThat(endsWithoutAnswer(stranger)).as("closed, nothing answered").isTrue();
        }

        assertThat(relayed).as("this test runs as uid 0, not the plugin's").isEmpty();
    }

    @Test
    void shouldRefuseAnEgressSocketWhereTheAgentRelaysNoEgress() {
        PluginPosts without = new PluginPosts(folders, NODE, (pluginId, plugin, onClosed) -> () -> { });

        assertThatThrownBy(() -> without.prepare("net", UID, Map.of("main.py", new byte[0]), true))
                .isInstanceOf(IllegalStateException.class);
        assertThat(ipc("net").resolve(EgressPost.SOCKET_NAME)).doesNotExist();
        without.close();
    }

    @Test
    void shouldOpenBothSocketsOfBothSlotsOfTheLongestPluginIdUnderARootAsLongAsTheDefault() throws Exception {
        String longest = "a".repeat(49) + "-"; // the manifest's longest id, [a-z0-9-]{3,50}
        assertThat(folders.root().toString().length()).as("at least /run/logomesh-nodes, the default root")
                .isGreaterThanOrEqualTo("/run/logomesh-nodes".length());

        posts.prepare(longest, UID, Map.of("main.py", new byte[0]), true);
        posts.prepare(new PluginSlot(longest, true), UID, Map.of("main.py", new byte[0]), true);

        for (String slot : List.of(longest, longest + ".next")) {
            assertThat(ipc(slot).resolve("host.sock")).exists();
            assertThat(ipc(slot).resolve(EgressPost.SOCKET_NAME)).exists();
        }
        assertThat(ipc(longest)).isNotEqualTo(ipc(longest + ".next"));
        posts.forget(new PluginSlot(longest, true));
        assertThat(ipc(longest + ".next")).doesNotExist();
        assertThat(ipc(longest).resolve(EgressPost.SOCKET_NAME)).as("the other slot's stays").exists();
    }

    /** End of stream or a reset (the agent closed it with the request unread), before any byte. */
    private static boolean endsWithoutAnswer(SocketChannel channel) {
        try {
            return channel.read(ByteBuffer.allocate(1)) < 0;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    private Path ipc(String pluginId) {
        return folders.onNode(NODE, PluginSlot.parse(pluginId)).resolve("ipc");
    }
}
