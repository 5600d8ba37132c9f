package io.logomesh.host.agent;

import io.logomesh.host.ipc.OwnedSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The accept loop of a plugin's socket on its node ({@link NodeSocket}): a failed accept (EMFILE, ENFILE, …) is
 * logged and retried after a bounded pause, never the silent end of the plugin's socket; closing ends it.
 */
@Timeout(30)
class NodeSocketTest {

    private static final int OWN_UID = OwnedSocket.ownUid();

    @TempDir
    Path dir;

    @Test
    void shouldKeepAcceptingAfterAcceptFailsForAWhile() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger relayed = new AtomicInteger();
        NodeSocket.Acceptor failingTwice = server -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new IOException("Too many open files");
            }
            return server.accept();
        };
        try (NodeSocket socket = NodeSocket.open("p1", dir, "host.sock", OWN_UID, 2,
                (pluginId, plugin, onClosed) -> {
                    relayed.incrementAndGet();
                    return plugin::close;
                }, failingTwice);
             SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(dir.resolve("host.sock")));

            for (int i = 0; i < 200 && relayed.get() == 0; i++) {
                Thread.sleep(25);
            }

            assertThat(attempts.get()).as("accepted again after two failures").isGreaterThanOrEqualTo(3);
            assertThat(relayed.get()).as("the connection after the failures is relayed").isEqualTo(1);
            assertThat(socket.relayed()).isEqualTo(1);
        }
    }

    @Test
    void shouldPauseLongerAfterEachFailureUpToItsBound() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        long started = System.nanoTime();
        NodeSocket socket = NodeSocket.open("p1", dir, "host.sock", OWN_UID, 2, (pluginId, plugin, onClosed) -> {
            throw new IOException("not in this test");
        }, server -> {
            attempts.incrementAndGet();
            throw new IOException("Too many open files");
        });
        Thread.sleep(1_000);
        socket.close();
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        // 50 + 100 + 200 + 400 ms of pauses fit in a second: about five attempts, not a busy loop
        assertThat(attempts.get()).as("attempts in " + elapsedMs + " ms").isBetween(3, 8);
        int after = attempts.get();
        Thread.sleep(NodeSocket.MAX_PAUSE.toMillis() + 200);
        assertThat(attempts.get()).as("closed: no more attempts").isLessThanOrEqualTo(after + 1);
    }
}
