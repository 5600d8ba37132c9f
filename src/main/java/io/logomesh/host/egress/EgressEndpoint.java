package io.logomesh.host.egress;

import io.logomesh.host.config.TokenBucket;
import io.logomesh.host.ipc.OwnedSocket;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One plugin's way out: {@code egress.sock} in its IPC folder (the folder the container already mounts),
 * reachable only by the plugin's uid ({@link OwnedSocket}: 0700 folder, 0600 socket, {@code SO_PEERCRED}).
 * Whatever arrives on it is that plugin's, whatever the request says. Each accepted connection runs on a
 * virtual thread ({@link EgressConnection}); at most {@link EgressLimits#maxConnections()} at once and
 * {@link EgressLimits#connectionRate()} new ones per second (past either: 429, audited). The policy can be
 * replaced at any time: new connections follow it at once, open ones it no longer allows are cut.
 * {@link #close} unlinks the socket and cuts every open connection.
 */
public final class EgressEndpoint {

    /** Name of the socket file in the plugin's IPC folder. */
    public static final String SOCKET_NAME = "egress.sock";

    private static final Logger LOG = Logger.getLogger(EgressEndpoint.class);

    private final String pluginId;
    private final OwnedSocket socket;
    private final EgressLimits limits;
    private final EgressResolver resolver;
    private final EgressConnector connector;
    private final Supplier<Set<InetAddress>> hostOwn;
    private final Consumer<EgressRecord> records;
    private final AtomicReference<EgressPolicy> policy;
    private final Set<EgressConnection> open = ConcurrentHashMap.newKeySet();
    private final TokenBucket rate;
    private final AtomicLong strangers = new AtomicLong();
    private volatile boolean closed;

    private EgressEndpoint(String pluginId, OwnedSocket socket, EgressPolicy policy, EgressLimits limits,
                           EgressResolver resolver, EgressConnector connector, Supplier<Set<InetAddress>> hostOwn,
                           Consumer<EgressRecord> records) {
        this.pluginId = pluginId;
        this.socket = socket;
        this.limits = limits;
        this.resolver = resolver;
        this.connector = connector;
        this.hostOwn = hostOwn;
        this.records = records;
        this.policy = new AtomicReference<>(policy);
        this.rate = new TokenBucket(limits.connectionRate(), limits.connectionBurst(), System.nanoTime());
    }

    /**
     * Binds {@code <folder>/egress.sock} for the plugin running as {@code peerUid} and starts accepting on a
     * virtual thread {@code egress-accept-<id>}.
     */
    public static EgressEndpoint open(String pluginId, Path folder, int peerUid, EgressPolicy policy,
                                      EgressLimits limits, EgressResolver resolver, EgressConnector connector,
                                      Supplier<Set<InetAddress>> hostOwn, Consumer<EgressRecord> records) {
        OwnedSocket socket = OwnedSocket.bind(pluginId, folder, SOCKET_NAME, peerUid);
        EgressEndpoint endpoint = new EgressEndpoint(pluginId, socket, policy, limits, resolver, connector, hostOwn,
                records);
        Thread.ofVirtual().name("egress-accept-" + pluginId).start(endpoint::acceptLoop);
        return endpoint;
    }

    public String pluginId() {
        return pluginId;
    }

    /** Absolute path of {@code egress.sock}. */
    public Path socketPath() {
        return socket.path();
    }

    EgressLimits limits() {
        return limits;
    }

    /** The policy new connections follow. */
    public EgressPolicy policy() {
        return policy.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return open.size();
    }

    /** Connections refused at once because their peer's uid was not the plugin's. */
    public long strangers() {
        return strangers.get();
    }

    /** Replaces the policy: new connections follow it; open ones whose destination it no longer allows are cut. */
    public void update(EgressPolicy next) {
        policy.set(next);
        for (EgressConnection c : open) {
            ProxyRequest r = c.request();
            if (r != null && next.match(r.host(), r.port()).isEmpty()) {
                c.cut("the allow-list no longer holds " + r.destination());
            }
        }
    }

    /** Cuts every connection whose timers ran out. */
    void sweep(long nowNanos) {
        for (EgressConnection c : open) {
            c.checkTimers(nowNanos, limits);
        }
    }

    /** Stops accepting, unlinks the socket and cuts every open connection with {@code reason}. Idempotent. */
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        socket.close();
        for (EgressConnection c : open) {
            c.cut(reason);
        }
    }

    public boolean isOpen() {
        return !closed;
    }

    void finished(EgressConnection connection, EgressRecord record) {
        open.remove(connection);
        try {
            records.accept(record);
        } catch (RuntimeException e) {
            LOG.warnf(e, "plugin %s: recording an egress connection failed", pluginId);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = socket.server().accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.warnf(e, "plugin %s: accepting an egress connection failed", pluginId);
                pause();
                continue;
            }
            Optional<String> stranger = socket.stranger(channel);
            if (stranger.isPresent()) {
                long n = strangers.incrementAndGet();
                if (n == 1 || n % 100 == 0) {
                    LOG.warnf("plugin %s: refused an egress connection from %s, not the plugin's uid (%d so far)",
                            pluginId, stranger.get(), n);
                }
                closeQuietly(channel);
                continue;
            }
            admit(channel);
        }
    }

    private void admit(SocketChannel channel) {
        String refusal = null;
        if (open.size() >= limits.maxConnections()) {
            refusal = "more than " + limits.maxConnections() + " connections open at once";
        } else if (!rate.tryTake(System.nanoTime())) {
            refusal = "more than " + limits.connectionRate() + " new connections per second";
        }
        if (refusal != null) {
            tooMany(channel, refusal);
            return;
        }
        EgressConnection connection = new EgressConnection(this, channel);
        open.add(connection);
        Thread.ofVirtual().name("egress-" + pluginId).start(() -> connection.run(resolver, connector, hostOwn));
        if (closed) {
            connection.cut("egress closed");
        }
    }

    /** 429 without reading the request (the destination stays unknown). */
    private void tooMany(SocketChannel channel, String reason) {
        String body = "logomesh egress: " + reason + "\n";
        String answer = "HTTP/1.1 429 Too Many Requests (logomesh egress: " + reason + ")\r\nContent-Type: text/plain\r\n"
                + "Content-Length: " + body.length() + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body;
        Thread.ofVirtual().name("egress-busy-" + pluginId).start(() -> {
            try {
                channel.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                // gone already
            }
            closeQuietly(channel);
        });
        records.accept(new EgressRecord(pluginId, "unknown", null, null, null, EgressRecord.REFUSED, reason, 0, 0, 0));
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
