package io.logomesh.host.audit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Signs and checks chain heads ({@link AuditHead}) with the host's audit key: 32 random bytes in
 * {@code <data-dir>/audit-anchor.key} (hex, mode 0600), made at first start. The key never leaves
 * the host; a head signed with it is what an operator keeps elsewhere.
 */
public final class AuditAnchor {

    /** The key file's name in the data folder. */
    public static final String KEY_FILE = "audit-anchor.key";

    private final byte[] key;

    public AuditAnchor(Path dataDir) {
        this.key = loadOrCreate(dataDir.resolve(KEY_FILE));
    }

    /** A signed head for the chain's last record. */
    public AuditHead head(long records, String lastHash, Instant at) {
        AuditHead unsigned = new AuditHead(records, lastHash, at.toString(), AuditHead.ALGORITHM, null);
        return unsigned.withSignature(sign(unsigned));
    }

    /** Whether {@code head} carries this host's signature. */
    public boolean signedHere(AuditHead head) {
        if (head.signature() == null || !AuditHead.ALGORITHM.equals(head.algorithm()) || head.lastHash() == null
                || head.timestamp() == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(head).getBytes(StandardCharsets.US_ASCII),
                head.signature().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(AuditHead head) {
        try {
            Mac mac = Mac.getInstance(AuditHead.ALGORITHM);
            mac.init(new SecretKeySpec(key, AuditHead.ALGORITHM));
            return HexFormat.of().formatHex(mac.doFinal(head.signedBytes()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, HexFormat.of().formatHex(fresh) + "\n", StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException raced) {
                    // another start made it first: read theirs
                }
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the audit key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the audit key " + file + " is not 64 hex characters", e);
        }
    }
}
