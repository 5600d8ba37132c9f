package io.logomesh.host.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A plugin bundle built from a fixture folder under {@code src/test/resources/plugins},
 * with its manifest adjusted per test (a unique id at least) and packed as tar.gz.
 */
public final class TestBundle {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src/test/resources/plugins");
    private static final Path HOSTILE = Path.of("src/test/resources/hostile");

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final ObjectNode manifest;

    private TestBundle(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(folder.relativize(p).toString(), Files.readAllBytes(p));
            }
            manifest = (ObjectNode) JSON.readTree(files.remove("manifest.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture {@code name}, installed under the id {@code id}. */
    public static TestBundle fixture(String name, String id) {
        TestBundle bundle = new TestBundle(FIXTURES.resolve(name));
        bundle.manifest.put("id", id);
        return bundle;
    }

    /** The hostile bundle {@code src/test/resources/hostile/<folder>}, under the id its manifest gives. */
    public static TestBundle hostile(String folder) {
        return new TestBundle(HOSTILE.resolve(folder));
    }

    public String id() {
        return manifest.get("id").asText();
    }

    /** Changes the manifest (e.g. limits or permissions). */
    public TestBundle manifest(Consumer<ObjectNode> change) {
        change.accept(manifest);
        return this;
    }

    /** Adds or replaces a file. */
    public TestBundle file(String name, String content) {
        files.put(name, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public byte[] tarGz() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            put(tar, "manifest.json", JSON.writeValueAsBytes(manifest));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                put(tar, f.getKey(), f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
