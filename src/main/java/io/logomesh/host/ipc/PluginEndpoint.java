package io.logomesh.host.ipc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
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
    public static final int MAX_SOCKET_PATH_BYTES = 107;
    /** Close reason given to the live connection when the endpoint closes. */
    public static final String REASON_ENDPOINT_CLOSED = "endpoint closed";

    private static final Logger LOG = Logger.getLogger(PluginEndpoint.class);
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
    /** Modes used where the host cannot hand the files to the plugin's uid (it does not run as root). */
    private static final Set<PosixFilePermission> SHARED_FOLDER_MODE = PosixFilePermissions.fromString("rwx--x--x");
    private static final Set<PosixFilePermission> SHARED_SOCKET_MODE = PosixFilePermissions.fromString("rw-rw-rw-");
    /** After the first refused peer, one log line per this many. */
    private static final long REFUSAL_LOG_EVERY = 100;
    private static final long ACCEPT_RETRY_MILLIS = 100;

    private volatile String pluginId;
    private final Path socketPath;
    private final IpcLimits limits;
    private final IncomingHandler handler;
    private final ObjectMapper mapper;
    private final ServerSocketChannel server;
    private final UserPrincipal peer;
    private final AtomicLong refused = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private PluginChannel current;
    private boolean currentClaimed;
    private boolean closed;

    private PluginEndpoint(String pluginId, Path socketPath, IpcLimits limits, IncomingHandler handler,
            ObjectMapper mapper, ServerSocketChannel server, UserPrincipal peer) {
        this.pluginId = pluginId;
        this.peer = peer;
        this.socketPath = socketPath;
        this.limits = limits;
        this.handler = handler;
        this.mapper = mapper;
        this.server = server;
    }

    /**
     * Creates the endpoint of a peer that runs as the host's own uid (an in-process or test peer) and
     * starts accepting; see {@link #open(String, Path, int, IpcLimits, IncomingHandler, ObjectMapper)}.
     */
    public static PluginEndpoint open(String pluginId, Path folder, int maxFrameBytes, IncomingHandler handler,
            ObjectMapper mapper) {
        return open(pluginId, folder, ownUid(), maxFrameBytes, handler, mapper);
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
        return open(pluginId, folder, ownUid(), limits, handler, mapper);
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
        Path absoluteFolder = folder.toAbsolutePath().normalize();
        Path socketPath = absoluteFolder.resolve(SOCKET_NAME);
        int length = socketPath.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH_BYTES) {
            throw new IpcEndpointException("IPC socket path for plugin " + pluginId + " is " + length
                    + " bytes, Unix sockets allow " + MAX_SOCKET_PATH_BYTES + "; configure a shorter IPC folder: "
                    + socketPath);
        }
        UserPrincipal peer = principal(peerUid);
        boolean owned = createFolder(pluginId, absoluteFolder, peer);
        ServerSocketChannel server = bind(pluginId, socketPath, owned ? Optional.of(peer) : Optional.empty());
        PluginEndpoint endpoint = new PluginEndpoint(pluginId, socketPath, limits, handler, mapper, server, peer);
        Thread.ofVirtual().name("ipc-accept-" + pluginId).start(endpoint::acceptLoop);
        return endpoint;
    }

    /** Creates (or takes over) the folder for {@code peer} alone; false where it could not be given away. */
    private static boolean createFolder(String pluginId, Path folder, UserPrincipal peer) {
        try {
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(folder);
            } else if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw new IpcEndpointException("IPC folder of plugin " + pluginId + " is not a directory: " + folder);
            }
            if (giveTo(folder, peer)) {
                Files.setPosixFilePermissions(folder, FOLDER_MODE);
                return true;
            }
            Files.setPosixFilePermissions(folder, SHARED_FOLDER_MODE);
            return false;
        } catch (IOException e) {
            throw new IpcEndpointException("cannot create the IPC folder of plugin " + pluginId + ": " + folder, e);
        }
    }

    /** chown (never following a link) to the peer; false when the host may not (EPERM: it is not root). */
    private static boolean giveTo(Path file, UserPrincipal peer) throws IOException {
        if (Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).equals(peer)) {
            return true;
        }
        try {
            PosixFileAttributeView view =
                    Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            view.setOwner(peer);
            return true;
        } catch (FileSystemException e) {
            LOG.warnf("cannot give %s to uid %s (%s): the IPC socket stays open to every local user, and only the "
                    + "peer-uid check keeps others out", file, peer.getName(), e.getReason());
            return false;
        }
    }

    private static ServerSocketChannel bind(String pluginId, Path socketPath, Optional<UserPrincipal> owner) {
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
            if (owner.isPresent() && giveTo(socketPath, owner.get())) {
                Files.setPosixFilePermissions(socketPath, SOCKET_MODE);
            } else {
                Files.setPosixFilePermissions(socketPath, SHARED_SOCKET_MODE);
            }
            return server;
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(server);
            throw new IpcEndpointException("cannot open the IPC socket of plugin " + pluginId + " at " + socketPath
                    + ": " + e.getMessage(), e);
        }
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
            if (fromThePlugin(socket)) {
                adopt(socket);
            }
        }
    }

    /** SO_PEERCRED: the uid the connecting process had when it called connect(2). */
    private boolean fromThePlugin(SocketChannel socket) {
        String who;
        try {
            UnixDomainPrincipal credentials = socket.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (credentials.user().equals(peer)) {
                return true;
            }
            who = "uid " + credentials.user().getName();
        } catch (IOException | UnsupportedOperationException e) {
            who = "a peer whose uid cannot be read (" + e.getMessage() + ")";
        }
        long count = refused.incrementAndGet();
        if (count == 1 || count % REFUSAL_LOG_EVERY == 0) {
            LOG.warnf("plugin %s: refused an IPC connection from %s, not the plugin's uid %s (%d refused so far)",
                    pluginId, who, peer.getName(), count);
        }
        closeQuietly(socket);
        return false;
    }

    private static UserPrincipal principal(int uid) {
        if (uid < 0) {
            throw new IllegalArgumentException("uid must not be negative: " + uid);
        }
        try {
            // a numeric name that is no user's name is taken as the uid; equality of principals is by uid
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(Integer.toString(uid));
        } catch (IOException e) {
            throw new IpcEndpointException("cannot name uid " + uid + ": " + e.getMessage(), e);
        }
    }

    private static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IpcEndpointException("cannot read the host's own uid: " + e.getMessage(), e);
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
