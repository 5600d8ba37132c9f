package io.logomesh.host.agent;

import io.logomesh.host.ipc.OwnedSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin's {@code host.sock} on its node ({@link PluginPost}): its cap of {@link PluginPost#MAX_RELAYS}
 * connections at once counts exactly the connections still there, from their accept (before the relay is open)
 * to their end, however quickly they end. The plugin's uid here is the test's own, so its connections pass the
 * peer check.
 */
@Timeout(30)
class PluginPostTest {

    private static final int OWN_UID = OwnedSocket.ownUid();

    @TempDir
    Path dir;

    private final List<SocketChannel> clients = new ArrayList<>();
    private PluginPost post;

    @AfterEach
    void close() {
        if (post != null) {
            post.close();
        }
        clients.forEach(PluginPostTest::closeQuietly);
    }

    @Test
    void shouldGiveBackThePlaceOfAConnectionThatEndsBeforeItsRelayIsOpen() throws Exception {
        AtomicInteger relayed = new AtomicInteger();
        // the control plane's side ends at once: the relay ends (onClosed) before open returns
        post = PluginPost.open("p1", OWN_UID, dir.resolve("p1"), Map.of(), (pluginId, plugin, onClosed) -> {
            AutoCloseable handle = plugin::close;
            plugin.close();
            onClosed.accept(handle);
            relayed.incrementAndGet();
            return handle;
        });

        int connections = PluginPost.MAX_RELAYS + 2;
        for (int i = 1; i <= connections; i++) {
            connect();
            int expected = i;
            await(() -> relayed.get() >= expected);
            Thread.sleep(50); // let the agent settle its count after open returned
        }

        assertThat(relayed.get()).as("every connection relayed: ended ones hold no place").isEqualTo(connections);
    }

    @Test
    void shouldNeverRelayMoreThanItsCapAtOnceWhileTheRelaysAreBeingOpened() throws Exception {
        AtomicInteger opening = new AtomicInteger();
        CountDownLatch answer = new CountDownLatch(1);
        post = PluginPost.open("p1", OWN_UID, dir.resolve("p1"), Map.of(), (pluginId, plugin, onClosed) -> {
            opening.incrementAndGet();
            try {
                answer.await(20, TimeUnit.SECONDS); // the control plane is slow to answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return plugin::close;
        });

        for (int i = 0; i < PluginPost.MAX_RELAYS; i++) {
            connect();
        }
        await(() -> opening.get() == PluginPost.MAX_RELAYS);
        SocketChannel oneMore = connect();

        assertThat(closedByTheAgent(oneMore)).as("past the cap: closed").isTrue();
        assertThat(opening.get()).as("no relay opened past the cap").isEqualTo(PluginPost.MAX_RELAYS);
        answer.countDown();
    }

    @Test
    void shouldCloseEveryRelayWhenClosedAndAcceptNoMore() throws Exception {
        AtomicInteger closedRelays = new AtomicInteger();
        post = PluginPost.open("p1", OWN_UID, dir.resolve("p1"), Map.of(),
                (pluginId, plugin, onClosed) -> () -> {
                    closedRelays.incrementAndGet();
                    plugin.close();
                });
        connect();
        connect();
        await(() -> post.relayed() == 2);

        post.close();

        assertThat(closedRelays.get()).isEqualTo(2);
        assertThat(post.relayed()).isZero();
        assertThat(dir.resolve("p1/ipc/host.sock")).doesNotExist();
    }

    private SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        clients.add(channel);
        channel.connect(UnixDomainSocketAddress.of(dir.resolve("p1/ipc/host.sock")));
        return channel;
    }

    /** End of stream or a reset before any byte, within 5 s (a relayed connection stays open: false). */
    private static boolean closedByTheAgent(SocketChannel channel) throws InterruptedException {
        CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
            try {
                return channel.read(ByteBuffer.allocate(1)) < 0;
            } catch (IOException reset) {
                return true;
            }
        });
        try {
            return ended.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 400 && !condition.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertThat(condition.getAsBoolean()).as("condition met within 10 s").isTrue();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
    }
}
