package io.logomesh.host.ipc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket file is unlinked at close only while it is still the file that socket bound: a process that stops after
 * its successor bound the same path (a node agent the swarm replaced) leaves the successor's socket in place.
 */
class OwnedSocketTest {

    @TempDir
    Path dir;

    @Test
    void shouldRemoveItsOwnSocketFileWhenClosed() {
        OwnedSocket socket = OwnedSocket.bind("p1", dir.resolve("ipc"), "host.sock", uid());

        socket.close();

        assertThat(socket.path()).doesNotExist();
    }

    @Test
    void shouldLeaveASocketBoundAnewAtItsPathByAnother() throws Exception {
        OwnedSocket old = OwnedSocket.bind("p1", dir.resolve("ipc"), "host.sock", uid());
        OwnedSocket successor = OwnedSocket.bind("p1", dir.resolve("ipc"), "host.sock", uid());

        old.close();

        assertThat(successor.path()).exists();
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(successor.path()))) {
            assertThat(client.isConnected()).as("the successor still takes connections").isTrue();
        } finally {
            successor.close();
        }
        assertThat(Files.exists(successor.path())).isFalse();
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
