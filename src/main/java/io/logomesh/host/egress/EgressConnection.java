package io.logomesh.host.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection a plugin opened on its {@code egress.sock}: reads the request head (bounded by
 * {@link EgressLimits#maxHeaderBytes()}), lets the policy decide, connects to the checked address, then
 * relays bytes both ways (bounded per direction by {@link EgressLimits#maxBytes()}) until either side
 * closes, a cap is hit or the endpoint cuts it. Ends in exactly one {@link EgressRecord}.
 */
final class EgressConnection {

    private static final int BUFFER = 16 * 1024;
    private static final long DRAIN_BYTES = 64 * 1024;

    private final EgressEndpoint endpoint;
    private final SocketChannel client;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong lastActivity = new AtomicLong(startedNanos);
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private volatile SocketChannel upstream;
    private volatile String cutReason;
    private volatile ProxyRequest request;

    EgressConnection(EgressEndpoint endpoint, SocketChannel client) {
        this.endpoint = endpoint;
        this.client = client;
    }

    /** The destination asked for, once the head was read. */
    ProxyRequest request() {
        return request;
    }

    /** Ends the connection now (a cap, a revoke, the endpoint closing); the relay threads see it closed. */
    void cut(String reason) {
        if (cutReason == null) {
            cutReason = reason;
        }
        closeQuietly(client);
        closeQuietly(upstream);
    }

    /** Cuts the connection if it was silent too long or lived too long. */
    void checkTimers(long nowNanos, EgressLimits limits) {
        if (nowNanos - lastActivity.get() > limits.idleTimeout().toNanos()) {
            cut(request == null ? "no request head within " + limits.idleTimeout().toSeconds() + " s"
                    : "idle for " + limits.idleTimeout().toSeconds() + " s");
        } else if (nowNanos - startedNanos > limits.maxDuration().toNanos()) {
            cut("open longer than " + limits.maxDuration().toSeconds() + " s");
        }
    }

    void run(EgressResolver resolver, EgressConnector connector, Supplier<Set<InetAddress>> hostOwn) {
        EgressLimits limits = endpoint.limits();
        byte[] buffer = new byte[limits.maxHeaderBytes()];
        int length = 0;
        int end = -1;
        try {
            while (end < 0) {
                if (length == buffer.length) {
                    refuse(431, "Request Header Fields Too Large", "the request head is larger than "
                            + limits.maxHeaderBytes() + " bytes");
                    return;
                }
                int n = client.read(ByteBuffer.wrap(buffer, length, buffer.length - length));
                if (n < 0) {
                    finish(EgressRecord.REFUSED, null, null, cutReason != null ? cutReason
                            : "closed before sending a request");
                    return;
                }
                touch();
                length += n;
                end = ProxyRequest.headEnd(buffer, length);
            }
        } catch (IOException e) {
            finish(EgressRecord.REFUSED, null, null, cutReason != null ? cutReason : "closed before sending a request");
            return;
        }
        ProxyRequest req;
        try {
            req = ProxyRequest.parse(Arrays.copyOf(buffer, end));
        } catch (ProxyRequest.Bad bad) {
            refuse(bad.status(), "Bad Request", bad.getMessage());
            return;
        }
        request = req;
        EgressDecision decision = endpoint.policy().decide(req.host(), req.port(), resolver, hostOwn);
        if (!decision.allowed()) {
            refuse(403, "Forbidden", decision.reason(), decision.pattern());
            return;
        }
        InetSocketAddress target = null;
        IOException last = null;
        for (InetAddress address : decision.addresses()) {
            InetSocketAddress candidate = new InetSocketAddress(address, req.port());
            try {
                upstream = connector.connect(candidate, limits.connectTimeout());
                target = candidate;
                break;
            } catch (IOException e) {
                last = e;
            }
        }
        if (upstream == null) {
            boolean timeout = last instanceof SocketTimeoutException;
            String why = "cannot connect to " + req.destination() + ": "
                    + (last == null || last.getMessage() == null ? "no address" : last.getMessage());
            reply(timeout ? 504 : 502, timeout ? "Gateway Timeout" : "Bad Gateway", why);
            finish(EgressRecord.FAILED, null, decision.pattern(), why);
            return;
        }
        if (cutReason != null) { // revoked or closed while connecting
            closeQuietly(upstream);
            finish(EgressRecord.CUT, target.getAddress().getHostAddress(), decision.pattern(), cutReason);
            return;
        }
        relay(buffer, end, length, target, decision.pattern());
    }

    private void relay(byte[] buffer, int end, int length, InetSocketAddress target, String pattern) {
        ProxyRequest req = request;
        try {
            if (req.tunnel()) {
                write(client, "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                write(upstream, req.forward());
            }
            if (length > end) {
                bytesOut.addAndGet(length - end);
                write(upstream, Arrays.copyOfRange(buffer, end, length));
            }
        } catch (IOException e) {
            closeQuietly(upstream);
            closeQuietly(client);
            finish(cutReason != null ? EgressRecord.CUT : EgressRecord.OK, target.getAddress().getHostAddress(),
                    pattern, cutReason != null ? cutReason : "closed at once");
            return;
        }
        Thread down = Thread.ofVirtual().name("egress-in-" + endpoint.pluginId()).start(
                () -> pump(upstream, client, bytesIn, "to the plugin"));
        pump(client, upstream, bytesOut, "from the plugin");
        try {
            down.join(endpoint.limits().maxDuration().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(upstream);
        closeQuietly(client);
        String reason = cutReason;
        finish(reason != null ? EgressRecord.CUT : EgressRecord.OK, target.getAddress().getHostAddress(), pattern,
                reason != null ? reason : "closed");
    }

    /** Copies until EOF or a cap, then half-closes the other side (the other direction may go on). */
    private void pump(SocketChannel from, SocketChannel to, AtomicLong counter, String direction) {
        ByteBuffer b = ByteBuffer.allocate(BUFFER);
        long cap = endpoint.limits().maxBytes();
        try {
            while (true) {
                b.clear();
                int n = from.read(b);
                if (n < 0) {
                    break;
                }
                touch();
                if (counter.addAndGet(n) > cap) {
                    cut("more than " + cap + " bytes " + direction);
                    return;
                }
                b.flip();
                while (b.hasRemaining()) {
                    to.write(b);
                }
                touch();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // the other side closed, or the connection was cut: both ends are closed below
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void refuse(int status, String phrase, String reason) {
        refuse(status, phrase, reason, null);
    }

    private void refuse(int status, String phrase, String reason, String pattern) {
        reply(status, phrase, reason);
        finish(EgressRecord.REFUSED, null, pattern, reason);
    }

    /** An answer the plugin's HTTP client can show: the reason in the status line, the header and the body. */
    private void reply(int status, String phrase, String reason) {
        String r = ProxyRequest.phrase(reason);
        String body = "logomesh egress: " + r + "\n";
        String head = "HTTP/1.1 " + status + " " + phrase + " (logomesh egress: " + r + ")\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "X-LogoMesh-Egress: refused\r\n"
                + "Connection: close\r\n\r\n";
        try {
            write(client, (head + body).getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            drain();
        } catch (IOException e) {
            // the plugin went away first
        }
        closeQuietly(client);
    }

    /**
     * Reads (and drops) what the plugin still sends, at most {@value #DRAIN_BYTES} bytes, so closing does not
     * reset the connection before it read the answer; bounded in time by the idle sweep.
     */
    private void drain() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BUFFER);
        long left = DRAIN_BYTES;
        while (left > 0) {
            b.clear();
            int n = client.read(b);
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }

    private void finish(String outcome, String address, String pattern, String reason) {
        closeQuietly(client);
        ProxyRequest req = request;
        endpoint.finished(this, new EgressRecord(endpoint.pluginId(),
                req == null ? "unknown" : req.tunnel() ? "connect" : "http",
                req == null ? null : req.destination(), address, pattern, outcome, reason, bytesOut.get(),
                bytesIn.get(), (System.nanoTime() - startedNanos) / 1_000_000));
    }

    private void touch() {
        lastActivity.set(System.nanoTime());
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
