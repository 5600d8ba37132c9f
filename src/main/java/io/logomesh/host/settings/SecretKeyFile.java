package io.logomesh.host.settings;

import io.logomesh.host.config.DataFolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The host key that encrypts plugins' secrets at rest: 32 random bytes (AES-256), hex, in
 * {@code <data>/secrets.key}, created at first use with mode 0600 (and set to 0600 again at every
 * start). Whoever can read that file (root, the host's user) can read every secret: keep the data
 * folder's backups as secret as the key.
 */
@ApplicationScoped
public class SecretKeyFile {

    static final String FILE_NAME = "secrets.key";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private volatile SecretKey key;

    @Inject
    public SecretKeyFile(DataFolder data) {
        this.file = data.root().resolve(FILE_NAME);
    }

    /** The key, read (or made) on first use. */
    SecretKey key() {
        SecretKey k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = new SecretKeySpec(loadOrCreate(file), "AES");
                }
                k = key;
            }
        }
        return k;
    }

    /** Where the key lives. */
    public Path file() {
        return file;
    }

    private static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.createDirectories(file.getParent());
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                    Files.writeString(file, HexFormat.of().formatHex(fresh) + "\n", StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException raced) {
                    // made by another start meanwhile: read that one
                }
            }
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            byte[] bytes = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (bytes.length != 32) {
                throw new IllegalStateException("the secrets key " + file + " is not 64 hex characters");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the secrets key " + file + " is not 64 hex characters", e);
        }
    }
}
