package io.logomesh.host.ipc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The per-plugin Unix socket server: listens on {@code <folder>/host.sock}, the folder
 * being bind-mounted read-only into the plugin's container.
 *
 * <p>Contract: {@link #open} creates the folder (0755) if missing, replaces a stale
 * socket file, binds, makes the socket file 0666 (the container runs as an arbitrary
 * non-root uid) and starts accepting on a virtual thread {@code ipc-accept-<id>}. One
 * connection is live at a time: a newer connection (e.g. from a replaced container)
 * closes the previous one ({@link PluginChannel#REASON_REPLACED}). {@link #close()}
 * closes everything and unlinks the socket file (never following a symlink).
 */
public final class PluginEndpoint implements AutoCloseable {

    /** Name of the socket file inside the plugin's folder. */
    public static final String SOCKET_NAME = "host.sock";
    /** Longest socket path Linux accepts ({@code sun_path} is 108 bytes with the NUL). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;
    /** Close reason given to the live connection when the endpoint closes. */
    public static final String REASON_ENDPOINT_CLOSED = "endpoint closed";

    private static final Logger LOG = Logger.getLogger(PluginEndpoint.class);
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-rw-rw-");
    private static final long ACCEPT_RETRY_MILLIS = 100;

    private final String pluginId;
    private final Path socketPath;
    private final IpcLimits limits;
    private final IncomingHandler handler;
    private final ObjectMapper mapper;
    private final ServerSocketChannel server;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private PluginChannel current;
    private boolean currentClaimed;
    private boolean closed;

    private PluginEndpoint(String pluginId, Path socketPath, IpcLimits limits, IncomingHandler handler,
            ObjectMapper mapper, ServerSocketChannel server) {
        this.pluginId = pluginId;
        this.socketPath = socketPath;
        this.limits = limits;
        this.handler = handler;
        this.mapper = mapper;
        this.server = server;
    }

    /**
     * Creates the endpoint of one plugin and starts accepting.
     *
     * @throws IpcEndpointException if the socket path is longer than
     *         {@value #MAX_SOCKET_PATH_BYTES} bytes, or the folder or socket cannot be set up
     */
    public static PluginEndpoint open(String pluginId, Path folder, int maxFrameBytes, IncomingHandler handler,
            ObjectMapper mapper) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        return open(pluginId, folder, IpcLimits.withFrameCap(maxFrameBytes), handler, mapper);
    }

    /**
     * Creates the endpoint of one plugin, its connections bounded by {@code limits}, and starts accepting.
     *
     * @throws IpcEndpointException as {@link #open(String, Path, int, IncomingHandler, ObjectMapper)}
     */
    public static PluginEndpoint open(String pluginId, Path folder, IpcLimits limits, IncomingHandler handler,
            ObjectMapper mapper) {
        Path absoluteFolder = folder.toAbsolutePath().normalize();
        Path socketPath = absoluteFolder.resolve(SOCKET_NAME);
        int length = socketPath.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH_BYTES) {
            throw new IpcEndpointException("IPC socket path for plugin " + pluginId + " is " + length
                    + " bytes, Unix sockets allow " + MAX_SOCKET_PATH_BYTES + "; configure a shorter IPC folder: "
                    + socketPath);
        }
        createFolder(pluginId, absoluteFolder);
        ServerSocketChannel server = bind(pluginId, socketPath);
        PluginEndpoint endpoint = new PluginEndpoint(pluginId, socketPath, limits, handler, mapper, server);
        Thread.ofVirtual().name("ipc-accept-" + pluginId).start(endpoint::acceptLoop);
        return endpoint;
    }

    private static void createFolder(String pluginId, Path folder) {
        try {
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(folder);
                Files.setPosixFilePermissions(folder, FOLDER_MODE);
            } else if (!Files.isDirectory(folder)) {
                throw new IpcEndpointException("IPC folder of plugin " + pluginId + " is not a directory: " + folder);
            }
        } catch (IOException e) {
            throw new IpcEndpointException("cannot create the IPC folder of plugin " + pluginId + ": " + folder, e);
        }
    }

    private static ServerSocketChannel bind(String pluginId, Path socketPath) {
        ServerSocketChannel server = null;
        try {
            Files.deleteIfExists(socketPath);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
            // chmod cannot skip symlinks on a socket file (O_NOFOLLOW open fails), so check first.
            BasicFileAttributes attributes =
                    Files.readAttributes(socketPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                throw new IOException("socket file was replaced by a symbolic link");
            }
            Files.setPosixFilePermissions(socketPath, SOCKET_MODE);
            return server;
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(server);
            throw new IpcEndpointException("cannot open the IPC socket of plugin " + pluginId + " at " + socketPath
                    + ": " + e.getMessage(), e);
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
        closeQuietly(server);
        if (last != null) {
            last.close(REASON_ENDPOINT_CLOSED);
        }
        try {
            Files.deleteIfExists(socketPath); // unlink(2): removes a symlink itself, never its target
        } catch (IOException e) {
            LOG.warnf(e, "plugin %s: cannot remove IPC socket file %s", pluginId, socketPath);
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
            adopt(socket);
        }
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
