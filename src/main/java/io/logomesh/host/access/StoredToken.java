package io.logomesh.host.access;

import java.time.Instant;
import java.util.List;

/**
 * A token as kept in {@code <data>/api-tokens.json}: the SHA-256 of the token (hex), never the token.
 *
 * @param id        public id, named by audit records
 * @param name      label chosen at creation (may be null)
 * @param role      wire name of its {@link Role}
 * @param plugins   caller tokens: the plugins whose actions it may run (empty otherwise)
 * @param sha256    hex SHA-256 of the token's UTF-8 bytes
 * @param createdAt creation time
 */
public record StoredToken(String id, String name, String role, List<String> plugins, String sha256, Instant createdAt) {

    public StoredToken {
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
    }

    TokenInfo info() {
        return new TokenInfo(id, name, role, plugins.isEmpty() ? null : plugins, createdAt, null);
    }
}
