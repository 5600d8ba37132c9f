package io.logomesh.host.api;

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
 * The bearer token of the REST API: {@code LOGOMESH_API_TOKEN} when set, else the one in
 * {@code <data>/api-token}, generated (256 random bits, file mode 0600) at first start.
 * Its path is logged, never the token. Created at start-up, so the file exists before the first call.
 */
@Startup
@ApplicationScoped
public class ApiToken {

    private static final Logger LOG = Logger.getLogger(ApiToken.class);

    private final byte[] token;

    @Inject
    public ApiToken(HostConfig config, DataFolder data) {
        String value = config.apiToken().filter(t -> !t.isBlank())
                .orElseGet(() -> loadOrCreate(data.root().resolve("api-token")));
        this.token = value.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code presented} is the token (constant time). */
    public boolean matches(String presented) {
        return presented != null
                && MessageDigest.isEqual(token, presented.strip().getBytes(StandardCharsets.UTF_8));
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
