package io.logomesh.host.ipc.relay;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.jboss.logging.Logger;

/**
 * Copies bytes between two connections in both directions, each on its own virtual thread.
 *
 * <p>Contract: each direction holds one buffer of {@value #BUFFER_BYTES} bytes and nothing else; it writes
 * what it read before reading again, so a slow reader slows its writer down and nothing queues. When one
 * direction reads end-of-stream, it shuts down the output of the other end (half-close: a Unix socket's
 * {@code shutdownOutput}; on TLS 1.3 a {@code close_notify} while the other direction goes on, on an
 * older protocol, which cannot half-close, the whole socket). When both directions have ended, or either
 * fails, both ends are closed and {@code onClose} runs, once, on one of the pump's threads.
 */
public final class BytePump {

    /** Size of the one buffer each direction holds. */
    public static final int BUFFER_BYTES = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(BytePump.class);

    private final String name;
    private final End a;
    private final End b;
    private final Runnable onClose;
    private final AtomicInteger running = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread forth;
    private volatile Thread back;

    private BytePump(String name, End a, End b, Runnable onClose) {
        this.name = name;
        this.a = a;
        this.b = b;
        this.onClose = onClose;
    }

    /**
     * Starts pumping between {@code a} and {@code b}; {@code name} names the threads and log lines.
     *
     * @return the running pump
     */
    public static BytePump start(String name, End a, End b, Runnable onClose) {
        BytePump pump = new BytePump(name, a, b, onClose);
        pump.forth = Thread.ofVirtual().name(name + "-a2b").unstarted(() -> pump.copy(a, b));
        pump.back = Thread.ofVirtual().name(name + "-b2a").unstarted(() -> pump.copy(b, a));
        pump.forth.start();
        pump.back.start();
        return pump;
    }

    /**
     * Closes both ends at once (whatever is in flight is lost) and runs {@code onClose} if not yet run. The
     * pump's threads are interrupted first: a virtual thread blocked writing to a socket whose peer stopped
     * reading closes that socket when interrupted, which lets a TLS socket's close go on (it would otherwise
     * wait for that write to send its {@code close_notify}).
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Thread thread : new Thread[] {forth, back}) {
            if (thread != null && thread != Thread.currentThread()) {
                thread.interrupt();
            }
        }
        quietly(a.close());
        quietly(b.close());
        try {
            onClose.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: the close callback failed", name);
        } finally {
            done.countDown();
        }
    }

    /** True until both ends are closed. */
    public boolean isOpen() {
        return !closed.get();
    }

    /** Waits until the pump has closed; false if {@code timeout} passed first. */
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    private void copy(End from, End to) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            for (int n = from.in().read(buffer); n >= 0; n = from.in().read(buffer)) {
                to.out().write(buffer, 0, n);
                to.out().flush();
            }
            to.shutdownOutput().close();
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.debugf("%s: %s", name, e.toString());
            }
            close();
            return;
        }
        if (running.decrementAndGet() == 0) {
            close();
        }
    }

    private void quietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debugf("%s: closing failed: %s", name, e.toString());
        }
    }

    /**
     * One connection as the pump sees it.
     *
     * @param in             where its bytes come from
     * @param out            where bytes for it go
     * @param shutdownOutput ends what it is sent, leaving {@code in} readable where the transport allows
     * @param close          closes it for good, unblocking any thread in {@code in} or {@code out}
     */
    public record End(InputStream in, OutputStream out, Closeable shutdownOutput, Closeable close) {

        /** A connected Unix (or TCP) socket channel in blocking mode. */
        public static End of(SocketChannel channel) {
            return new End(Channels.newInputStream(channel), Channels.newOutputStream(channel),
                    channel::shutdownOutput, channel);
        }

        /** A handshaken TLS socket; see {@link #of(SSLSocket, Socket)}. */
        public static End of(SSLSocket tls) throws IOException {
            return of(tls, tls);
        }

        /**
         * A handshaken TLS socket layered over {@code transport} (the same socket if not layered). Closing
         * closes the transport first, so no {@code close_notify} waits behind a blocked write.
         */
        public static End of(SSLSocket tls, Socket transport) throws IOException {
            InputStream in = tls.getInputStream();
            OutputStream out = tls.getOutputStream();
            Closeable shutdown = () -> {
                if (RelayTls.PROTOCOL.equals(tls.getSession().getProtocol())) {
                    tls.shutdownOutput();
                } else {
                    tls.close();
                }
            };
            Closeable close = () -> {
                try {
                    transport.close();
                } finally {
                    tls.close();
                }
            };
            return new End(in, out, shutdown, close);
        }
    }
}
