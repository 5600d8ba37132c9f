package io.logomesh.host.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(5)
class PluginEndpointTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordingHandler handler = new RecordingHandler();

    @TempDir
    Path dir;

    private PluginEndpoint open(Path folder) {
        return PluginEndpoint.open("p1", folder, 1024, handler, mapper);
    }

    @Test
    void shouldCreateAFolderAndSocketOnlyThePeersUidCanReach() throws Exception {
        Path folder = dir.resolve("ipc").resolve("p1");

        try (PluginEndpoint endpoint = open(folder)) {
            assertThat(endpoint.socketPath()).isEqualTo(folder.resolve("host.sock"));
            assertThat(endpoint.pluginId()).isEqualTo("p1");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint.socketPath())))
                    .isEqualTo("rw-------");
            assertThat(endpoint.isOpen()).isTrue();
        }
    }

    @Test
    @Timeout(30)
    void shouldLetOnlyThePluginsUidConnect() throws Exception {
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/bin/setpriv"))
                        && Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs root, setpriv and python3 to connect as other uids");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path folder = dir.resolve("p2");

        try (PluginEndpoint endpoint = PluginEndpoint.open("p2", folder, PLUGIN_UID, 1024, handler, mapper)) {
            assertThat(Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(PLUGIN_UID);
            assertThat(Files.getAttribute(endpoint.socketPath(), "unix:uid", LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(PLUGIN_UID);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint.socketPath())))
                    .isEqualTo("rw-------");

            assertThat(connectAs(PLUGIN_UID + 1, endpoint.socketPath())).as("another uid: the folder is closed")
                    .isEqualTo("EACCES");
            try (TestPlugin root = TestPlugin.connect(endpoint.socketPath(), mapper)) {
                // root passes the file modes, but SO_PEERCRED says uid 0: closed at once, counted
                assertThatThrownBy(() -> endpoint.awaitConnection(Duration.ofMillis(500)))
                        .isInstanceOf(IpcTimeoutException.class);
            }
            assertThat(endpoint.refusedConnections()).isEqualTo(1);

            assertThat(connectAs(PLUGIN_UID, endpoint.socketPath())).as("the plugin's uid").isEqualTo("ok");
            assertThat(endpoint.awaitConnection(Duration.ofSeconds(5))).isNotNull();
            assertThat(endpoint.refusedConnections()).isEqualTo(1);
        }
    }

    private static final int PLUGIN_UID = 23_456;

    /** Connects (and holds the connection a moment) as {@code uid}; answers "ok" or the errno's name. */
    private static String connectAs(int uid, Path socket) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid", Integer.toString(uid), "--regid",
                Integer.toString(uid), "--clear-groups", "/usr/bin/python3", "-c", """
                import errno, socket, sys, time
                s = socket.socket(socket.AF_UNIX)
                try:
                    s.connect(sys.argv[1])
                except OSError as e:
                    print(errno.errorcode.get(e.errno, str(e)), flush=True)
                    sys.exit(0)
                print("ok", flush=True)
                time.sleep(1)
                """, socket.toString()).redirectErrorStream(true).start();
        String line = new String(p.getInputStream().readNBytes(200)).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return line;
    }

    private static boolean isRoot() throws java.io.IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    @Test
    void shouldReplaceStaleSocketFile() throws Exception {
        Path folder = dir.resolve("p1");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("host.sock"), "stale");

        try (PluginEndpoint endpoint = open(folder);
                TestPlugin plugin = TestPlugin.connect(endpoint.socketPath(), mapper)) {
            plugin.sendReady();
            assertThat(endpoint.awaitConnection(SECOND).ready().get(1, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void shouldTimeOutWhenNobodyConnects() {
        try (PluginEndpoint endpoint = open(dir.resolve("p1"))) {
            assertThatThrownBy(() -> endpoint.awaitConnection(Duration.ofMillis(30)))
                    .isInstanceOf(IpcTimeoutException.class)
                    .hasMessageContaining("p1 did not connect within 30 ms")
                    .extracting(e -> ((IpcTimeoutException) e).code()).isEqualTo("ipc_timeout");
            assertThat(endpoint.current()).isEmpty();
        }
    }

    @Test
    void shouldHandOutEachConnectionOnceAndLetANewOneReplaceTheOld() throws Exception {
        try (PluginEndpoint endpoint = open(dir.resolve("p1"));
                TestPlugin oldPlugin = TestPlugin.connect(endpoint.socketPath(), mapper)) {
            PluginChannel first = endpoint.awaitConnection(SECOND);
            assertThat(endpoint.current()).contains(first);
            assertThatThrownBy(() -> endpoint.awaitConnection(Duration.ofMillis(20)))
                    .isInstanceOf(IpcTimeoutException.class);

            try (TestPlugin newPlugin = TestPlugin.connect(endpoint.socketPath(), mapper)) {
                PluginChannel second = endpoint.awaitConnection(SECOND);

                assertThat(second).isNotSameAs(first);
                assertThat(handler.nextClosing().reason()).isEqualTo(PluginChannel.REASON_REPLACED);
                assertThat(first.isOpen()).isFalse();
                assertThat(oldPlugin.awaitEof()).isTrue();
                newPlugin.sendReady();
                assertThat(second.ready().get(1, TimeUnit.SECONDS).get("runtime").asText()).isEqualTo("nodejs");
                assertThat(endpoint.current()).contains(second);
            }
        }
    }

    @Test
    void shouldCloseLiveConnectionAndRemoveSocketFileOnClose() throws Exception {
        PluginEndpoint endpoint = open(dir.resolve("p1"));
        try (TestPlugin plugin = TestPlugin.connect(endpoint.socketPath(), mapper)) {
            PluginChannel channel = endpoint.awaitConnection(SECOND);

            endpoint.close();
            endpoint.close();

            assertThat(Files.exists(endpoint.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(endpoint.isOpen()).isFalse();
            assertThat(channel.isOpen()).isFalse();
            assertThat(handler.nextClosing().reason()).isEqualTo(PluginEndpoint.REASON_ENDPOINT_CLOSED);
            assertThat(plugin.awaitEof()).isTrue();
            assertThatThrownBy(() -> endpoint.awaitConnection(SECOND)).isInstanceOf(IpcClosedException.class);
        }
    }

    @Test
    void shouldWakeWaiterWhenClosedWhileWaiting() throws Exception {
        PluginEndpoint endpoint = open(dir.resolve("p1"));
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            endpoint.close();
        });

        assertThatThrownBy(() -> endpoint.awaitConnection(SECOND))
                .isInstanceOf(IpcClosedException.class)
                .hasMessage("endpoint closed");
    }

    @Test
    void shouldUnlinkSymlinkInPlaceOfSocketWithoutTouchingItsTarget() throws Exception {
        Path target = Files.writeString(dir.resolve("precious.txt"), "keep me");
        PluginEndpoint endpoint = open(dir.resolve("p1"));
        Files.delete(endpoint.socketPath());
        Files.createSymbolicLink(endpoint.socketPath(), target);

        endpoint.close();

        assertThat(Files.exists(endpoint.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readString(target)).isEqualTo("keep me");
    }

    @Test
    void shouldRejectSocketPathLongerThanUnixAllows() {
        Path folder = dir.resolve("x".repeat(120));

        assertThatThrownBy(() -> open(folder))
                .isInstanceOf(IpcEndpointException.class)
                .hasMessageContaining("Unix sockets allow 107")
                .extracting(e -> ((IpcEndpointException) e).code()).isEqualTo("ipc_endpoint_failed");
        assertThat(Files.exists(folder)).isFalse();
    }

    @Test
    void shouldRejectFolderThatIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("p1"), "not a folder");

        assertThatThrownBy(() -> open(file))
                .isInstanceOf(IpcEndpointException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void shouldFailToBindWhenSocketPathIsOccupiedByADirectory() throws Exception {
        Path folder = dir.resolve("p1");
        Files.createDirectories(folder.resolve("host.sock").resolve("child"));

        assertThatThrownBy(() -> open(folder))
                .isInstanceOf(IpcEndpointException.class)
                .hasMessageContaining("cannot open the IPC socket of plugin p1");
    }

    @Test
    void shouldGiveUpWaitingWhenInterrupted() throws Exception {
        try (PluginEndpoint endpoint = open(dir.resolve("p1"))) {
            Thread.currentThread().interrupt();

            assertThatThrownBy(() -> endpoint.awaitConnection(SECOND))
                    .isInstanceOf(IpcTimeoutException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.interrupted()).isTrue();
        }
    }

    @Test
    void shouldNotThrowFromCloseWhenSocketFileCannotBeRemoved() throws Exception {
        PluginEndpoint endpoint = open(dir.resolve("p1"));
        Files.delete(endpoint.socketPath());
        Files.createDirectories(endpoint.socketPath().resolve("child"));

        endpoint.close();

        assertThat(endpoint.isOpen()).isFalse();
        assertThat(Files.isDirectory(endpoint.socketPath())).isTrue();
    }

    @Test
    void shouldFailWhenFolderCannotBeCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> open(file.resolve("p1")))
                .isInstanceOf(IpcEndpointException.class)
                .hasMessageContaining("cannot create the IPC folder of plugin p1");
    }

    @Test
    void shouldRejectNonPositiveFrameCap() {
        assertThatThrownBy(() -> PluginEndpoint.open("p1", dir, 0, handler, mapper))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
