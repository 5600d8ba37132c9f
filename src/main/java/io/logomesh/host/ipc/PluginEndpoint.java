package io.logomesh.host.ipc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The per-plugin Unix socket server: listens on {@code <folder>/host.sock}, the folder
 * being bind-mounted read-only into the plugin's container.
 *
 * <p>Contract: {@link #open} creates the folder if missing, replaces a stale socket file, binds,
 * and leaves both reachable only by the plugin's uid: the folder 0700 and the socket 0600, both
 * owned by that uid (the host runs as root; where it cannot give files away, the folder is 0711
 * and the socket 0666, owned by the host, and the check below is the only wall). Every accepted
 * connection's peer uid is read with {@code SO_PEERCRED}; one that is not the plugin's is closed at
 * once, counted ({@link #refusedConnections()}) and logged. It accepts on a virtual thread
 * {@code ipc-accept-<id>}. One connection is live at a time: a newer connection (e.g. from a replaced
 * container) closes the previous one ({@link PluginChannel#REASON_REPLACED}). {@link #close()}
 * closes everything and unlinks the socket file (never following a symlink).
 */
public final class PluginEndpoint implements AutoCloseable {

    /** Name of the socket file inside the plugin's folder. */
    public static final String SOCKET_NAME = "host.sock";
    /** Longest socket path Linux accepts ({@code sun_path} is 108 bytes with the NUL). */
    public static final int MAX_SOCKET_PATH_BYTES = OwnedSocket.MAX_SOCKET_PATH_BYTES;
    /** Close reason given to the live connection when the endpoint closes. */
    public static final String REASON_ENDPOINT_CLOSED = "endpoint closed";

    private static final Logger LOG = Logger.getLogger(PluginEndpoint.class);
    /** After the first refused peer, one log line per this many. */
    private static final long REFUSAL_LOG_EVERY = 100;
    private static final long ACCEPT_RETRY_MILLIS = 100;

    private volatile String pluginId;
    private final Path socketPath;
    private final IpcLimits limits;
    private final IncomingHandler handler;
    private final ObjectMapper mapper;
    private final OwnedSocket socket;
    private final ServerSocketChannel server;
    private final UserPrincipal peer;
    private final AtomicLong refused = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private PluginChannel current;
    private boolean currentClaimed;
    private boolean closed;

    private PluginEndpoint(String pluginId, OwnedSocket socket, IpcLimits limits, IncomingHandler handler,
            ObjectMapper mapper) {
        this.pluginId = pluginId;
        this.socket = socket;
        this.peer = socket.peer();
        this.socketPath = socket.path();
        this.limits = limits;
        this.handler = handler;
        this.mapper = mapper;
        this.server = socket.server();
    }

    /**
     * Creates the endpoint of a peer that runs as the host's own uid (an in-process or test peer) and
     * starts accepting; see {@link #open(String, Path, int, IpcLimits, IncomingHandler, ObjectMapper)}.
     */
    public static PluginEndpoint open(String pluginId, Path folder, int maxFrameBytes, IncomingHandler handler,
            ObjectMapper mapper) {
        return open(pluginId, folder, OwnedSocket.ownUid(), maxFrameBytes, handler, mapper);
    }

    /** As {@link #open(String, Path, int, IpcLimits, IncomingHandler, ObjectMapper)}, with only a frame cap. */
    public static PluginEndpoint open(String pluginId, Path folder, int peerUid, int maxFrameBytes,
            IncomingHandler handler, ObjectMapper mapper) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        return open(pluginId, folder, peerUid, IpcLimits.withFrameCap(maxFrameBytes), handler, mapper);
    }

    /** As {@link #open(String, Path, int, IpcLimits, IncomingHandler, ObjectMapper)}, for a peer of the host's own uid. */
    public static PluginEndpoint open(String pluginId, Path folder, IpcLimits limits, IncomingHandler handler,
            ObjectMapper mapper) {
        return open(pluginId, folder, OwnedSocket.ownUid(), limits, handler, mapper);
    }

    /**
     * Creates the endpoint of one plugin, whose runtime runs as {@code peerUid}, its connections bounded by
     * {@code limits}, and starts accepting.
     *
     * @throws IpcEndpointException if the socket path is longer than
     *         {@value #MAX_SOCKET_PATH_BYTES} bytes, or the folder or socket cannot be set up
     */
    public static PluginEndpoint open(String pluginId, Path folder, int peerUid, IpcLimits limits,
            IncomingHandler handler, ObjectMapper mapper) {
        OwnedSocket socket = OwnedSocket.bind(pluginId, folder, SOCKET_NAME, peerUid);
        PluginEndpoint endpoint = new PluginEndpoint(pluginId, socket, limits, handler, mapper);
        Thread.ofVirtual().name("ipc-accept-" + pluginId).start(endpoint::acceptLoop);
        return endpoint;
    }

    /**
     * From now on the endpoint and its live connection serve {@code pluginId} (a prewarmed cell a plugin took);
     * a later connection to this socket is that plugin's too.
     */
    public void serveAs(String pluginId) {
        lock.lock();
        try {
            this.pluginId = pluginId;
            if (current != null) {
                current.speakAs(pluginId);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The plugin this endpoint serves. */
    public String pluginId() {
        return pluginId;
    }

    /** Absolute path of the socket file. */
    public Path socketPath() {
        return socketPath;
    }

    /** Connections closed at once because their peer's uid was not the plugin's. */
    public long refusedConnections() {
        return refused.get();
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the newest connection not yet returned by this method, waiting up to
     * {@code timeout} for one to arrive. A connection that arrived before the call counts.
     *
     * @throws IpcTimeoutException if no new connection arrives in time (or the wait is interrupted)
     * @throws IpcClosedException if the endpoint is or becomes closed
     */
    public PluginChannel awaitConnection(Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IpcClosedException(REASON_ENDPOINT_CLOSED);
                }
                if (current != null && !currentClaimed) {
                    currentClaimed = true;
                    return current;
                }
                if (nanos <= 0) {
                    throw new IpcTimeoutException("plugin " + pluginId + " did not connect within "
                            + timeout.toMillis() + " ms");
                }
                nanos = changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpcTimeoutException("interrupted while waiting for plugin " + pluginId + " to connect", e);
        } finally {
            lock.unlock();
        }
    }

    /** The live connection, if any (whether or not it was returned by {@link #awaitConnection}). */
    public Optional<PluginChannel> current() {
        lock.lock();
        try {
            return Optional.ofNullable(current).filter(PluginChannel::isOpen);
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting, closes the live connection and unlinks the socket file. Idempotent. */
    @Override
    public void close() {
        PluginChannel last;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            last = current;
            current = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        socket.close();
        if (last != null) {
            last.close(REASON_ENDPOINT_CLOSED);
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                LOG.warnf(e, "plugin %s: accepting an IPC connection failed", pluginId);
                pause();
                continue;
            }
            if (fromThePlugin(socket)) {
                adopt(socket);
            }
        }
    }

    /** SO_PEERCRED: the uid the connecting process had when it called connect(2). */
    private boolean fromThePlugin(SocketChannel channel) {
        Optional<String> who = socket.stranger(channel);
        if (who.isEmpty()) {
            return true;
        }
        long count = refused.incrementAndGet();
        if (count == 1 || count % REFUSAL_LOG_EVERY == 0) {
            LOG.warnf("plugin %s: refused an IPC connection from %s, not the plugin's uid %s (%d refused so far)",
                    pluginId, who.get(), peer.getName(), count);
        }
        closeQuietly(channel);
        return false;
    }

    private void adopt(SocketChannel socket) {
        PluginChannel previous;
        lock.lock();
        try {
            if (closed) {
                closeQuietly(socket);
                return;
            }
            PluginChannel channel = new PluginChannel(pluginId, socket, limits, handler, mapper);
            previous = current;
            current = channel;
            currentClaimed = false;
            channel.start();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (previous != null) {
            LOG.debugf("plugin %s: a new IPC connection replaces the previous one", pluginId);
            previous.close(PluginChannel.REASON_REPLACED);
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(ACCEPT_RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debugf(e, "closing %s failed", closeable);
        }
    }
}
