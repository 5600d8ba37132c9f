package io.logomesh.host.manifest;

import static io.logomesh.host.manifest.ManifestFixtures.bytes;
import static io.logomesh.host.manifest.ManifestFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleLoaderTest {

    private static final BundleLoader LOADER = new BundleLoader(new ManifestParser());

    @TempDir
    Path temp;

    @Test
    void shouldLoadAFolderWithManifestAndMain() throws IOException {
        Files.write(temp.resolve("manifest.json"), bytes("minimal.json"));
        Files.writeString(temp.resolve("index.js"), "exports.activate = () => {};");

        Bundle bundle = LOADER.load(temp);

        assertThat(bundle.root()).isEqualTo(temp.toAbsolutePath().normalize());
        assertThat(bundle.manifest().id()).isEqualTo("hello-node");
        assertThat(bundle.mainFile()).isEqualTo(bundle.root().resolve("index.js")).isRegularFile();
    }

    @Test
    void shouldLoadAnExtractedBundlePackedInsideOneFolder() {
        byte[] tarGz = new TarGz()
                .dir("hello-node/")
                .file("hello-node/manifest.json", new String(bytes("minimal.json")))
                .file("hello-node/index.js", "exports.activate = () => {};")
                .bytes();
        Path target = temp.resolve("extracted");
        new BundleExtractor().extract(new java.io.ByteArrayInputStream(tarGz), target, BundleLimits.DEFAULTS);

        Bundle bundle = LOADER.load(target);

        assertThat(bundle.root().getFileName()).hasToString("hello-node");
        assertThat(bundle.manifest().main()).isEqualTo("index.js");
    }

    @Test
    void shouldLoadACustomMainInASubfolder() throws IOException {
        write(json("full.json"));
        Files.createDirectories(temp.resolve("src"));
        Files.writeString(temp.resolve("src/analyzer.py"), "def activate(ctx): pass");

        assertThat(LOADER.load(temp).mainFile()).isEqualTo(temp.toAbsolutePath().resolve("src/analyzer.py"));
    }

    @Test
    void shouldReportAMissingManifest() throws IOException {
        Files.writeString(temp.resolve("index.js"), "x");
        ManifestInvalidException e = catchThrowableOfType(ManifestInvalidException.class, () -> LOADER.load(temp));
        assertThat(e.violations()).containsExactly(new ManifestViolation("/", "bundle has no manifest.json at its root"));
    }

    @Test
    void shouldNotDescendWhenTheSingleFolderIsNotAlone() throws IOException {
        Path inner = Files.createDirectories(temp.resolve("hello-node"));
        Files.write(inner.resolve("manifest.json"), bytes("minimal.json"));
        Files.writeString(temp.resolve("README"), "x");
        assertThatThrownBy(() -> LOADER.load(temp)).hasMessageContaining("bundle has no manifest.json at its root");
    }

    @Test
    void shouldReportAMissingMainTogetherWithSchemaViolations() throws IOException {
        ObjectNode manifest = json("minimal.json").put("name", "");
        write(manifest);

        ManifestInvalidException e = catchThrowableOfType(ManifestInvalidException.class, () -> LOADER.load(temp));

        assertThat(e.violations()).containsExactly(
                new ManifestViolation("/main", "file 'index.js' not found in the bundle"),
                new ManifestViolation("/name", "must not be empty"));
    }

    @Test
    void shouldRejectAMainThatIsAFolderOrASymlink() throws IOException {
        write(json("minimal.json").put("main", "lib"));
        Files.createDirectories(temp.resolve("lib"));
        assertThatThrownBy(() -> LOADER.load(temp)).isInstanceOf(ManifestInvalidException.class)
                .hasMessageContaining("/main file 'lib' is not a regular file");

        Path outside = Files.writeString(Files.createTempFile("outside", ".js"), "x");
        try {
            write(json("minimal.json"));
            Files.createSymbolicLink(temp.resolve("index.js"), outside);
            assertThatThrownBy(() -> LOADER.load(temp)).isInstanceOf(ManifestInvalidException.class)
                    .hasMessageContaining("symbolic link");

            write(json("minimal.json").put("main", "linked/index.js"));
            Files.createSymbolicLink(temp.resolve("linked"), outside.getParent());
            assertThatThrownBy(() -> LOADER.load(temp)).hasMessageContaining("symbolic link");
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void shouldSkipTheMainCheckWhenTheSchemaAlreadyRejectsIt() throws IOException {
        write(json("minimal.json").put("main", "../outside.js"));
        ManifestInvalidException e = catchThrowableOfType(ManifestInvalidException.class, () -> LOADER.load(temp));
        assertThat(e.violations()).singleElement().extracting(ManifestViolation::path).isEqualTo("/main");

        write(json("minimal.json").put("runtime", "java"));
        e = catchThrowableOfType(ManifestInvalidException.class, () -> LOADER.load(temp));
        assertThat(e.violations()).singleElement().extracting(ManifestViolation::path).isEqualTo("/runtime");

        write(json("minimal.json").put("main", 42));
        e = catchThrowableOfType(ManifestInvalidException.class, () -> LOADER.load(temp));
        assertThat(e.violations()).singleElement().extracting(ManifestViolation::message).isEqualTo("must be a string, not a number");
    }

    @Test
    void shouldAcceptAWebAssemblyMainOnlyWithTheBinaryHeader() throws IOException {
        write(json("minimal.json").put("runtime", "webassembly").put("main", "plugin.wasm"));
        Files.write(temp.resolve("plugin.wasm"), new byte[]{0, 'a', 's', 'm', 1, 0, 0, 0});
        assertThat(LOADER.load(temp).manifest().main()).isEqualTo("plugin.wasm");

        Files.writeString(temp.resolve("plugin.wasm"), "(module)");
        ManifestInvalidException e = catchThrowableOfType(ManifestInvalidException.class, () -> LOADER.load(temp));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("/main");
            assertThat(v.message()).contains("'plugin.wasm' is not a WebAssembly binary module");
        });

        Files.write(temp.resolve("plugin.wasm"), new byte[]{0, 'a', 's', 'm', 2, 0, 0, 0});
        assertThatThrownBy(() -> LOADER.load(temp)).hasMessageContaining("unsupported version");

        Files.write(temp.resolve("plugin.wasm"), new byte[]{0, 'a'});
        assertThatThrownBy(() -> LOADER.load(temp)).hasMessageContaining("is not a WebAssembly binary module");
    }

    @Test
    void shouldRejectASymlinkedManifest() throws IOException {
        Path real = Files.write(temp.resolve("real.json"), bytes("minimal.json"));
        Files.createSymbolicLink(temp.resolve("manifest.json"), real);
        assertThatThrownBy(() -> LOADER.load(temp)).isInstanceOf(ManifestInvalidException.class)
                .hasMessageContaining("manifest.json must be a regular file");
    }

    @Test
    void shouldRejectAnOversizedManifest() throws IOException {
        Files.writeString(temp.resolve("manifest.json"), "{\"description\": \"" + "x".repeat(300 * 1024) + "\"}");
        assertThatThrownBy(() -> LOADER.load(temp)).isInstanceOf(ManifestInvalidException.class)
                .hasMessageContaining("manifest.json is larger than 256 KiB");
    }

    @Test
    void shouldReportBadJsonInTheBundle() throws IOException {
        Files.write(temp.resolve("manifest.json"), bytes("bad-json.json"));
        assertThatThrownBy(() -> LOADER.load(temp)).isInstanceOf(ManifestInvalidException.class)
                .hasMessageContaining("manifest is not valid JSON");
    }

    @Test
    void shouldFailOnAMissingFolder() {
        assertThatThrownBy(() -> LOADER.load(temp.resolve("nope"))).isInstanceOf(UncheckedIOException.class);
        assertThat(new BundleLoader()).isNotNull();
    }

    private void write(ObjectNode manifest) throws IOException {
        Files.write(temp.resolve("manifest.json"), ManifestFixtures.JSON.writeValueAsBytes(manifest));
    }

    @Test
    void shouldReportAMainWithANulCharacterAsAViolation() throws IOException {
        ObjectNode manifest = json("minimal.json");
        manifest.put("main", "index\u0000.js");
        write(manifest);
        ManifestInvalidException e = catchThrowableOfType(ManifestInvalidException.class, () -> LOADER.load(temp));
        assertThat(e.violations()).extracting(ManifestViolation::path).contains("/main");
    }

    @Test
    void shouldReportAnOverlongMainAsAViolation() throws IOException {
        ObjectNode manifest = json("minimal.json");
        manifest.put("main", "m".repeat(5000) + ".js");
        write(manifest);
        ManifestInvalidException e = catchThrowableOfType(ManifestInvalidException.class, () -> LOADER.load(temp));
        assertThat(e.violations()).extracting(ManifestViolation::path).contains("/main");
    }
}
