package io.logomesh.host.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * This host instance's id, kept in {@code <data-dir>/host-id} so that containers
 * labelled by an earlier run of the same host are recognised (and reaped) after a crash.
 */
@ApplicationScoped
public class HostIdentity {

    private final String id;

    @Inject
    public HostIdentity(DataFolder data) {
        this.id = loadOrCreate(data.root().resolve("host-id"));
    }

    /** The id, a short string safe for Docker labels. */
    public String id() {
        return id;
    }

    private static String loadOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!existing.isEmpty()) {
                    return existing;
                }
            }
            String fresh = UUID.randomUUID().toString().substring(0, 12);
            AtomicFiles.write(file, fresh.getBytes(StandardCharsets.UTF_8));
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
