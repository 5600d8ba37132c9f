package io.logomesh.host.access;

import io.logomesh.host.config.AtomicFiles;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The initial admin token of the REST API (id {@value #ID}): {@code LOGOMESH_API_TOKEN} when set, else the one in
 * {@code <data>/api-token}, generated (256 random bits, file mode 0600) at first start.
 * Its path is logged, never the token; only its SHA-256 is kept in memory. Created at start-up, so the file exists
 * before the first call. Further tokens, with roles, are made through {@code /api/v1/tokens} ({@link TokenStore}).
 */
@Startup
@ApplicationScoped
public class InitialToken {

    private static final Logger LOG = Logger.getLogger(InitialToken.class);

    /** The id audit records and {@code GET /api/v1/tokens} give the initial token. */
    public static final String ID = "initial";

    private final byte[] sha256;

    @Inject
    public InitialToken(HostConfig config, DataFolder data) {
        String value = config.apiToken().filter(t -> !t.isBlank())
                .orElseGet(() -> loadOrCreate(data.root().resolve("api-token")));
        this.sha256 = TokenStore.sha256(value.strip());
    }

    /** Whether {@code presented} is the token (constant time). */
    public boolean matches(String presented) {
        return presented != null && matchesHash(TokenStore.sha256(presented.strip()));
    }

    /** Whether {@code presentedSha256} is the token's hash (constant time). */
    boolean matchesHash(byte[] presentedSha256) {
        return MessageDigest.isEqual(sha256, presentedSha256);
    }

    /** How {@code GET /api/v1/tokens} lists it. */
    TokenInfo info() {
        return new TokenInfo(ID, "initial admin token", Role.ADMIN_NAME, null, null, true);
    }

    private static String loadOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!existing.isEmpty()) {
                    LOG.infof("API token: read from %s", file);
                    return existing;
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            AtomicFiles.write(file, (fresh + "\n").getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            LOG.infof("API token: generated into %s (set LOGOMESH_API_TOKEN to choose one)", file);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the API token file " + file, e);
        }
    }
}
