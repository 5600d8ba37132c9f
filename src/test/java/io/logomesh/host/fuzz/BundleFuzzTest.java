package io.logomesh.host.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.manifest.BundleExtractor;
import io.logomesh.host.manifest.BundleInvalidException;
import io.logomesh.host.manifest.BundleLimits;
import io.logomesh.host.manifest.BundleLoader;
import io.logomesh.host.manifest.BundleTooLargeException;
import io.logomesh.host.manifest.ManifestInvalidException;
import io.logomesh.host.plugin.PluginStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile bundles (raw tar headers of every type, PAX and GNU long names, deep and long names, NULs,
 * truncations, bit flips) against the extractor and loader: every failure is one of the bundle's 4xx
 * exceptions, nothing lands outside the target folder, nothing but files and folders is created, and
 * the created entries stay within the limit.
 */
class BundleFuzzTest {

    private static final BundleLimits LIMITS = new BundleLimits(1 << 20, 4 << 20, 200);
    private static final BundleExtractor EXTRACTOR = new BundleExtractor();
    private static final BundleLoader LOADER = new BundleLoader();

    @TempDir
    Path temp;

    @Test
    void shouldRefuseHostileBundlesOnlyWithBundleErrors() {
        byte[] manifest = manifestBytes();
        int ran = Fuzz.run("bundles", 600, Duration.ofSeconds(12), r -> {
            byte[] bundle = r.nextInt(5) == 0 ? Mutants.mutate(r, Mutants.hostileTarGz(r, manifest))
                    : Mutants.hostileTarGz(r, r.nextBoolean() ? manifest : null);
            extractAndLoad(bundle);
        });
        assertThat(ran).isPositive();
    }

    @Test
    void shouldRefuseRandomBytesAndMutatedValidBundles() throws IOException {
        byte[] valid = Mutants.gzip(validTar());
        int ran = Fuzz.run("bundle-bytes", 600, Duration.ofSeconds(6), r -> {
            byte[] bundle = r.nextBoolean() ? Mutants.randomBytes(r, 2048) : Mutants.mutate(r, valid);
            extractAndLoad(bundle);
        });
        assertThat(ran).isPositive();
    }

    private void extractAndLoad(byte[] bundle) throws IOException {
        Path box = Files.createTempDirectory(temp, "case");
        Path target = box.resolve("out");
        try {
            try (InputStream in = new ByteArrayInputStream(bundle)) {
                EXTRACTOR.extract(in, target, LIMITS);
            }
            LOADER.load(target);
        } catch (BundleInvalidException | BundleTooLargeException | ManifestInvalidException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("Exception").doesNotContain("\u0000");
        } catch (PluginHostException e) {
            throw new AssertionError("unexpected host exception " + e.code() + ": " + e.getMessage(), e);
        }
        try (Stream<Path> inBox = Files.list(box)) {
            assertThat(inBox.map(p -> p.getFileName().toString()).toList()).isSubsetOf(List.of("out"));
        }
        if (Files.exists(target)) {
            try (Stream<Path> all = Files.walk(target)) {
                List<Path> created = all.toList();
                assertThat(created.size() - 1).isLessThanOrEqualTo(LIMITS.maxEntries());
                for (Path p : created) {
                    assertThat(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).as(p.toString()).isTrue();
                }
            }
        }
        PluginStore.deleteTree(box);
    }

    private static byte[] manifestBytes() {
        try (InputStream in = BundleFuzzTest.class.getResourceAsStream("/manifests/minimal.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] validTar() {
        var tar = new java.io.ByteArrayOutputStream();
        byte[] manifest = manifestBytes();
        Mutants.entry(tar, "manifest.json", (byte) '0', manifest, 0644, manifest.length);
        byte[] code = "exports.activate = () => {};".getBytes();
        Mutants.entry(tar, "index.js", (byte) '0', code, 0644, code.length);
        tar.writeBytes(new byte[1024]);
        return tar.toByteArray();
    }

    @Test
    void shouldExtractTheValidBundleTheMutationsStartFrom() {
        Path target = temp.resolve("valid");
        EXTRACTOR.extract(new ByteArrayInputStream(Mutants.gzip(validTar())), target, LIMITS);
        assertThat(LOADER.load(target).manifest().id()).isEqualTo("hello-node");
    }

    static ObjectNode minimalManifest() {
        try {
            return (ObjectNode) JsonMutants.JSON.readTree(manifestBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
