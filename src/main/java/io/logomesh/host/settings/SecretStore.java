package io.logomesh.host.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.AtomicFiles;
import io.logomesh.host.config.DataFolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Plugins' secrets, write-only for operators: {@code <data>/plugins/<id>/secrets.json} maps each name to
 * {@code {iv, ciphertext, updatedAt}}, AES-256-GCM under {@link SecretKeyFile} with the plugin id and the
 * name as associated data (a value moved to another name or plugin fails to decrypt). The file lives beside
 * the plugin's record, so it survives restarts and upgrades and goes with an uninstall. Values leave this
 * class only for the plugin's {@code initialize} frame ({@link #values}) and the redaction of text that
 * came from the plugin ({@link #redact}).
 */
@ApplicationScoped
public class SecretStore {

    /** A secret's name: a letter or underscore, then letters, digits, {@code _ . -}; 64 characters at most. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    /** Largest value, in UTF-8 bytes. */
    public static final int MAX_VALUE_BYTES = 8 * 1024;
    /** Most secrets one plugin may hold. */
    public static final int MAX_SECRETS = 32;
    /** Shortest value that {@link #redact} replaces (shorter ones would blank ordinary words). */
    static final int MIN_REDACTED_CHARS = 4;
    static final String FILE_NAME = "secrets.json";
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path pluginsRoot;
    private final SecretKeyFile key;
    private final ObjectMapper mapper;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Redactions> redactions = new ConcurrentHashMap<>();

    @Inject
    public SecretStore(DataFolder data, SecretKeyFile key, ObjectMapper mapper) {
        this.pluginsRoot = data.pluginsRoot();
        this.key = key;
        this.mapper = mapper;
    }

    /** One stored secret as operators may see it: its name and when it was last set, never its value. */
    public record SecretName(String name, Instant updatedAt) {
    }

    /** Stores (or replaces) a secret; the value is checked for size, the name for its pattern. */
    public synchronized SecretName put(String pluginId, String name, String value) {
        requireName(name);
        if (value == null || value.isEmpty()) {
            throw new SecretRefusedException("secret_invalid", "a secret needs a non-empty \"value\"");
        }
        byte[] plain = value.getBytes(StandardCharsets.UTF_8);
        if (plain.length > MAX_VALUE_BYTES) {
            throw new SecretRefusedException("secret_invalid", "secret " + name + " is " + plain.length
                    + " bytes; at most " + MAX_VALUE_BYTES + " are kept");
        }
        ObjectNode all = read(pluginId);
        if (!all.has(name) && all.size() >= MAX_SECRETS) {
            throw new SecretRefusedException("secret_limit", "plugin " + pluginId + " holds " + MAX_SECRETS
                    + " secrets already; delete one first");
        }
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        Instant now = Instant.now();
        ObjectNode entry = mapper.createObjectNode()
                .put("iv", Base64.getEncoder().encodeToString(iv))
                .put("ciphertext", Base64.getEncoder().encodeToString(crypt(Cipher.ENCRYPT_MODE, pluginId, name, iv, plain)))
                .put("updatedAt", now.toString());
        all.set(name, entry);
        write(pluginId, all);
        return new SecretName(name, now);
    }

    /** Deletes a secret. */
    public synchronized void delete(String pluginId, String name) {
        requireName(name);
        ObjectNode all = read(pluginId);
        if (all.remove(name) == null) {
            throw new SecretNotFoundException("plugin " + pluginId + " has no secret named " + name);
        }
        write(pluginId, all);
    }

    /** The names (and times) of a plugin's secrets, sorted by name. */
    public synchronized List<SecretName> names(String pluginId) {
        List<SecretName> out = new ArrayList<>();
        read(pluginId).fields().forEachRemaining(e -> out.add(new SecretName(e.getKey(),
                Instant.parse(e.getValue().path("updatedAt").asText(Instant.EPOCH.toString())))));
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** Every secret of the plugin, decrypted: only for its {@code initialize} frame. */
    public synchronized Map<String, String> values(String pluginId) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = read(pluginId).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byte[] iv = Base64.getDecoder().decode(e.getValue().path("iv").asText());
            byte[] ct = Base64.getDecoder().decode(e.getValue().path("ciphertext").asText());
            out.put(e.getKey(), new String(crypt(Cipher.DECRYPT_MODE, pluginId, e.getKey(), iv, ct),
                    StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * {@code text} (from the plugin: a failure reason, an error message, a log line) with each of the
     * plugin's secret values of at least {@value #MIN_REDACTED_CHARS} characters replaced by
     * {@code [secret:<name>]}.
     */
    public String redact(String pluginId, String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Map.Entry<String, String> e : redactable(pluginId)) {
            out = out.replace(e.getValue(), "[secret:" + e.getKey() + "]");
        }
        return out;
    }

    /**
     * The values {@link #redact} replaces, longest first (a secret that contains another is cut whole), decrypted
     * once per change of {@code secrets.json} (its file key, time and size) rather than once per line: redaction
     * runs on every log line and error text a plugin sends.
     */
    private List<Map.Entry<String, String>> redactable(String pluginId) {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(file(pluginId), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            redactions.remove(pluginId); // no secrets (none set, or the plugin is gone)
            return List.of();
        }
        Redactions known = redactions.get(pluginId);
        if (known != null && known.matches(now)) {
            return known.values();
        }
        List<Map.Entry<String, String>> values = new ArrayList<>();
        for (Map.Entry<String, String> e : values(pluginId).entrySet()) {
            if (e.getValue().length() >= MIN_REDACTED_CHARS) {
                values.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        values.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
        List<Map.Entry<String, String>> frozen = List.copyOf(values);
        redactions.put(pluginId, new Redactions(now.fileKey(), now.lastModifiedTime(), now.size(), frozen));
        return frozen;
    }

    /** A plugin's redactable values as of one version of its {@code secrets.json}. */
    private record Redactions(Object fileKey, FileTime modified, long size, List<Map.Entry<String, String>> values) {
        boolean matches(BasicFileAttributes a) {
            return java.util.Objects.equals(fileKey, a.fileKey()) && modified.equals(a.lastModifiedTime())
                    && size == a.size();
        }
    }

    private static void requireName(String name) {
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new SecretRefusedException("secret_invalid", "a secret's name must match "
                    + NAME_PATTERN.pattern());
        }
    }

    private byte[] crypt(int mode, String pluginId, String name, byte[] iv, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(mode, key.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD((pluginId + "\u0000" + name).getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // a wrong key or a changed file: say which, never what
            throw new IllegalStateException("secret " + name + " of plugin " + pluginId
                    + " cannot be decrypted with this host's key (the key file or secrets.json changed)");
        }
    }

    private Path file(String pluginId) {
        return pluginsRoot.resolve(pluginId).resolve(FILE_NAME);
    }

    private ObjectNode read(String pluginId) {
        Path f = file(pluginId);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(f.toFile());
            return node instanceof ObjectNode o ? o : mapper.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secrets of " + pluginId, e);
        }
    }

    private void write(String pluginId, ObjectNode all) {
        redactions.remove(pluginId);
        try {
            AtomicFiles.write(file(pluginId), mapper.writeValueAsBytes(all));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the secrets of " + pluginId, e);
        }
    }
}
