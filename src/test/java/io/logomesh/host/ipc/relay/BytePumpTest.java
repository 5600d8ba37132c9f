package io.logomesh.host.ipc.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pump between two Unix socket pairs: left ↔ [pump] ↔ right. */
@Timeout(10)
class BytePumpTest {

    @TempDir
    Path dir;

    private SocketChannel left;
    private SocketChannel right;
    private BytePump pump;
    private final AtomicInteger closes = new AtomicInteger();

    @BeforeEach
    void startPump() throws Exception {
        SocketChannel[] a = pair("a.sock");
        SocketChannel[] b = pair("b.sock");
        left = a[0];
        right = b[0];
        pump = BytePump.start("test-pump", BytePump.End.of(a[1]), BytePump.End.of(b[1]), closes::incrementAndGet);
    }

    @AfterEach
    void closeAll() throws Exception {
        pump.close();
        left.close();
        right.close();
    }

    @Test
    void shouldCopyBothWaysAndCloseOnceWhenBothDirectionsEnd() throws Exception {
        Channels.newOutputStream(left).write("to the right".getBytes(StandardCharsets.US_ASCII));
        left.shutdownOutput();
        assertThat(Channels.newInputStream(right).readAllBytes()).asString().isEqualTo("to the right");
        assertThat(pump.isOpen()).as("the other direction still runs").isTrue();

        Channels.newOutputStream(right).write("to the left".getBytes(StandardCharsets.US_ASCII));
        right.shutdownOutput();
        assertThat(Channels.newInputStream(left).readAllBytes()).asString().isEqualTo("to the left");

        assertThat(pump.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
        assertThat(closes).hasValue(1);
        pump.close();
        assertThat(closes).hasValue(1);
    }

    @Test
    void shouldCloseBothEndsWhenOneFails() throws Exception {
        right.close();
        Channels.newOutputStream(left).write(new byte[64]);

        // writing towards the closed right end fails (broken pipe): the pump closes both ends without waiting
        // for the left one to finish
        assertThat(RelayFixture.endsWithoutData(Channels.newInputStream(left))).isTrue();
        assertThat(pump.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
        assertThat(closes).hasValue(1);
    }

    @Test
    void shouldCloseBothEndsOnCloseWhileACopyIsBlocked() throws Exception {
        // nobody reads the right end: the pump's write to it blocks once the socket buffers are full
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                byte[] chunk = new byte[BytePump.BUFFER_BYTES];
                while (true) {
                    Channels.newOutputStream(left).write(chunk);
                }
            } catch (Exception expected) {
                // the pump closed its end
            }
        });
        Thread.sleep(200);

        pump.close();

        assertThat(pump.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
        writer.join(5000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(closes).hasValue(1);
    }

    private SocketChannel[] pair(String name) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve(name)));
            SocketChannel outer = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve(name)));
            return new SocketChannel[] {outer, server.accept()};
        }
    }
}
