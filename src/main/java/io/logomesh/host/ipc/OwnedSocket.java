package io.logomesh.host.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
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
import java.util.Optional;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.jboss.logging.Logger;

/**
 * A listening Unix socket in a plugin's own folder that only the plugin's uid can reach: the folder 0700
 * and the socket 0600, both owned by that uid (where the host cannot give files away, 0711 / 0666 owned
 * by the host, and {@link #fromPeer} is the only wall). Shared by the IPC endpoint ({@code host.sock})
 * and the egress proxy ({@code egress.sock}), so both sockets get the same modes and the same
 * {@code SO_PEERCRED} check.
 *
 * @param server the bound server channel
 * @param path   absolute path of the socket file
 * @param peer   the only uid whose connections are accepted
 * @param file   the socket file's identity (device and inode) as bound: {@link #close()} leaves the path when it is
 *               another socket now, so a process that ends after another bound the same path anew (a node agent
 *               the swarm replaced, still stopping beside its successor) does not take its successor's socket away
 */
public record OwnedSocket(ServerSocketChannel server, Path path, UserPrincipal peer, Object file) {

    /** Longest socket path Linux accepts ({@code sun_path} is 108 bytes with the NUL). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Logger LOG = Logger.getLogger(OwnedSocket.class);
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
    /** Modes used where the host cannot hand the files to the plugin's uid (it does not run as root). */
    private static final Set<PosixFilePermission> SHARED_FOLDER_MODE = PosixFilePermissions.fromString("rwx--x--x");
    private static final Set<PosixFilePermission> SHARED_SOCKET_MODE = PosixFilePermissions.fromString("rw-rw-rw-");

    /**
     * Creates {@code folder} if missing (or takes it over), replaces a stale socket file {@code name} in it,
     * binds and sets the modes above.
     *
     * @throws IpcEndpointException if the path is too long for a Unix socket or the folder or socket
     *         cannot be set up
     */
    public static OwnedSocket bind(String pluginId, Path folder, String name, int peerUid) {
        Path absoluteFolder = folder.toAbsolutePath().normalize();
        Path socketPath = absoluteFolder.resolve(name);
        int length = socketPath.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH_BYTES) {
            throw new IpcEndpointException("socket path for plugin " + pluginId + " is " + length
                    + " bytes, Unix sockets allow " + MAX_SOCKET_PATH_BYTES + "; configure a shorter IPC folder: "
                    + socketPath);
        }
        UserPrincipal peer = principal(peerUid);
        boolean owned = createFolder(pluginId, absoluteFolder, peer);
        ServerSocketChannel server = bindSocket(pluginId, socketPath, owned ? Optional.of(peer) : Optional.empty());
        return new OwnedSocket(server, socketPath, peer, fileKey(socketPath));
    }

    /**
     * SO_PEERCRED: whether the connecting process had the plugin's uid when it called connect(2); empty
     * when it did, else who it was (for a log line).
     */
    public Optional<String> stranger(SocketChannel socket) {
        try {
            UnixDomainPrincipal credentials = socket.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (credentials.user().equals(peer)) {
                return Optional.empty();
            }
            return Optional.of("uid " + credentials.user().getName());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("a peer whose uid cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Whether the connection comes from the plugin's uid (see {@link #stranger}). */
    public boolean fromPeer(SocketChannel socket) {
        return stranger(socket).isEmpty();
    }

    /**
     * Closes the server and unlinks the socket file (never following a symlink), unless the path is no longer the
     * file this socket bound (another process bound it anew since: its socket stays).
     */
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debugf(e, "closing %s failed", path);
        }
        if (boundAnew()) {
            LOG.debugf("socket file %s was bound anew by another; left to it", path);
            return;
        }
        try {
            Files.deleteIfExists(path); // unlink(2): removes a symlink itself, never its target
        } catch (IOException e) {
            LOG.warnf(e, "cannot remove socket file %s", path);
        }
    }

    /**
     * Whether the path is now another socket than the one bound here (a symlink or any other file put in its place
     * is no one's socket: it is removed as before).
     */
    private boolean boundAnew() {
        try {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return file != null && now.isOther() && !file.equals(now.fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    /** The file's identity (device, inode) without following a link; null when it is gone or cannot be read. */
    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
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
            LOG.warnf("cannot give %s to uid %s (%s): the socket stays open to every local user, and only the "
                    + "peer-uid check keeps others out", file, peer.getName(), e.getReason());
            return false;
        }
    }

    private static ServerSocketChannel bindSocket(String pluginId, Path socketPath, Optional<UserPrincipal> owner) {
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
            if (server != null) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new IpcEndpointException("cannot open the IPC socket of plugin " + pluginId + " at " + socketPath
                    + ": " + e.getMessage(), e);
        }
    }

    /** The principal of a numeric uid. */
    public static UserPrincipal principal(int uid) {
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

    /** The host process's own uid. */
    public static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IpcEndpointException("cannot read the host's own uid: " + e.getMessage(), e);
        }
    }
}
