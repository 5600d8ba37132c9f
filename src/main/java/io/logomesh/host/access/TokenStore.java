package io.logomesh.host.access;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.config.AtomicFiles;
import io.logomesh.host.config.DataFolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The role tokens, kept in {@code <data>/api-tokens.json} (mode 0600) as SHA-256 hashes: a token is 256 random
 * bits, so a fast hash is as strong as a slow one (there is nothing to guess), and every request can afford it.
 * A presented token is hashed and compared with every stored hash in constant time
 * ({@link MessageDigest#isEqual}), none skipped, so the answer's timing says nothing about which bytes matched.
 * The initial token ({@link InitialToken}) is the first admin, id {@value InitialToken#ID}. Bounded:
 * at most {@value #MAX_TOKENS} tokens, names of {@value #MAX_NAME} characters, {@value #MAX_PLUGINS} plugins
 * per caller token. Thread-safe.
 */
@ApplicationScoped
public class TokenStore {

    static final int MAX_TOKENS = 1000;
    static final int MAX_NAME = 64;
    static final int MAX_PLUGINS = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._@:-]*");
    private static final Pattern PLUGIN_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");
    private static final TypeReference<List<StoredToken>> LIST = new TypeReference<>() { };

    private final Path file;
    private final ObjectMapper mapper;
    private final InitialToken initial;
    private final SecureRandom random = new SecureRandom();
    private volatile List<StoredToken> tokens;

    @Inject
    public TokenStore(DataFolder data, ObjectMapper mapper, InitialToken initial) {
        this.file = data.root().resolve("api-tokens.json");
        this.mapper = mapper;
        this.initial = initial;
        this.tokens = load();
    }

    /** Who presented {@code token}: its id, role and scope; empty for an unknown or revoked token. */
    public Optional<TokenInfo> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        byte[] presented = sha256(token.strip());
        TokenInfo found = initial.matchesHash(presented) ? initial.info() : null;
        for (StoredToken t : tokens) { // every hash compared, none skipped
            if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(t.sha256())) && found == null) {
                found = t.info();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Creates a token; the answer is the only place its value ever appears. */
    public synchronized IssuedToken create(String roleName, String name, List<String> plugins) {
        Role role = Role.parse(roleName == null ? "" : roleName).orElseThrow(() -> new TokenRefusedException(
                "invalid_request", "role must be one of admin, operator, viewer, caller, metrics"));
        if (name != null && (name.length() > MAX_NAME || !NAME.matcher(name).matches())) {
            throw new TokenRefusedException("invalid_request", "name must be 1-" + MAX_NAME
                    + " letters, digits, spaces or ._@:- characters");
        }
        List<String> scope = List.copyOf(new LinkedHashSet<>(plugins == null ? List.of() : plugins));
        if (role == Role.CALLER) {
            if (scope.isEmpty() || scope.size() > MAX_PLUGINS) {
                throw new TokenRefusedException("invalid_request", "a caller token names 1-" + MAX_PLUGINS
                        + " plugins whose actions it may run");
            }
            for (String id : scope) {
                if (id == null || !PLUGIN_ID.matcher(id).matches()) {
                    throw new TokenRefusedException("invalid_request", "plugins must be plugin ids");
                }
            }
        } else if (!scope.isEmpty()) {
            throw new TokenRefusedException("invalid_request", "only a caller token names plugins");
        }
        if (tokens.size() >= MAX_TOKENS) {
            throw new TokenRefusedException("too_many_tokens", "at most " + MAX_TOKENS
                    + " tokens exist at once; revoke one first");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = "lm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        StoredToken stored = new StoredToken("tok_" + HexFormat.of().formatHex(idBytes), name, role.wireName(), scope,
                HexFormat.of().formatHex(sha256(token)), Instant.now());
        List<StoredToken> next = new ArrayList<>(tokens);
        next.add(stored);
        save(next);
        tokens = List.copyOf(next);
        return new IssuedToken(token, stored.info());
    }

    /** Every token, initial first; never a token's value or hash. */
    public List<TokenInfo> list() {
        List<TokenInfo> out = new ArrayList<>();
        out.add(initial.info());
        tokens.forEach(t -> out.add(t.info()));
        return out;
    }

    /** Revokes a token at once: the next request that presents it is 401. */
    public synchronized void revoke(String id) {
        if (InitialToken.ID.equals(id)) {
            throw new TokenRefusedException("token_not_revocable", "the initial token comes from LOGOMESH_API_TOKEN "
                    + "or <data>/api-token; change it there and restart");
        }
        List<StoredToken> next = new ArrayList<>(tokens);
        if (!next.removeIf(t -> t.id().equals(id))) {
            throw new TokenNotFoundException(id);
        }
        save(next);
        tokens = List.copyOf(next);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private List<StoredToken> load() {
        try {
            if (!Files.isRegularFile(file)) {
                return List.of();
            }
            return List.copyOf(mapper.readValue(file.toFile(), LIST));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
    }

    private void save(List<StoredToken> next) {
        try {
            AtomicFiles.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token file " + file, e);
        }
    }
}
