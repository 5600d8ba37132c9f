package io.logomesh.host.container.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.config.HostConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The seccomp profile plugin containers run under, handed to the engine inline
 * ({@code seccomp=<json>}, as the docker CLI does with a file). Built in: the engine's own
 * default profile with {@code ptrace} and {@code io_uring_*} taken out ({@code src/main/resources/seccomp/plugin.json},
 * made by {@code deploy/seccomp-profile.sh}); {@code logomesh.docker.seccomp-profile} names a
 * file to use instead. Anything that is not a profile stops the host at start.
 */
@ApplicationScoped
public class SeccompProfile {

    static final String BUILT_IN = "/seccomp/plugin.json";

    private final String json;
    private final Set<String> allowed;

    @Inject
    public SeccompProfile(HostConfig config, ObjectMapper mapper) {
        this(read(config.docker().seccompProfile().map(Path::of)), mapper);
    }

    private SeccompProfile(byte[] profile, ObjectMapper mapper) {
        JsonNode tree;
        try {
            tree = mapper.readTree(profile);
        } catch (IOException e) {
            throw new IllegalStateException("the seccomp profile is not JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.path("defaultAction").isTextual() || !tree.path("syscalls").isArray()) {
            throw new IllegalStateException("the seccomp profile needs a defaultAction and a syscalls list");
        }
        this.json = tree.toString();
        this.allowed = allowedCalls(tree);
    }

    /** The built-in profile. */
    static SeccompProfile builtIn() {
        return new SeccompProfile(read(Optional.empty()), new ObjectMapper());
    }

    /** The profile as one line of JSON, for {@code SecurityOpt}. */
    public String json() {
        return json;
    }

    /** The {@code SecurityOpt} entry. */
    String securityOpt() {
        return "seccomp=" + json;
    }

    /**
     * Whether a rule allows {@code syscall} to a container without capabilities (as every plugin's is);
     * conditions on kernel version or architecture are not weighed.
     */
    boolean allowsWithoutCapabilities(String syscall) {
        return allowed.contains(syscall);
    }

    private static Set<String> allowedCalls(JsonNode tree) {
        Set<String> names = new HashSet<>();
        for (JsonNode rule : tree.path("syscalls")) {
            if ("SCMP_ACT_ALLOW".equals(rule.path("action").asText()) && rule.path("includes").path("caps").isEmpty()) {
                rule.path("names").forEach(n -> names.add(n.asText()));
            }
        }
        return names;
    }

    private static byte[] read(Optional<Path> file) {
        try {
            if (file.isPresent()) {
                return Files.readAllBytes(file.get());
            }
            try (InputStream in = SeccompProfile.class.getResourceAsStream(BUILT_IN)) {
                if (in == null) {
                    throw new IllegalStateException("the built-in seccomp profile " + BUILT_IN + " is missing");
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the seccomp profile " + file.map(Path::toString).orElse(BUILT_IN), e);
        }
    }
}
