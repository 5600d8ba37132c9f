package io.logomesh.host.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleExtractorTest {

    private static final BundleLimits LIMITS = new BundleLimits(1 << 20, 4 << 20, 100);

    private final BundleExtractor extractor = new BundleExtractor();

    @TempDir
    Path temp;

    @Test
    void shouldExtractFilesAndFoldersWithSafeModes() throws IOException {
        byte[] bundle = new TarGz()
                .dir("./")
                .file("./manifest.json", "{}")
                .dir("./lib")
                .file("./lib/util.js", "exports.x = 1;".getBytes(StandardCharsets.UTF_8), 04777)
                .file("bin/run.sh", "#!/bin/sh".getBytes(StandardCharsets.UTF_8), 0700)
                .file("deep/er/file.txt", "implicit parents")
                .bytes();
        Path target = temp.resolve("out");

        extractor.extract(new ByteArrayInputStream(bundle), target, LIMITS);

        assertThat(target.resolve("manifest.json")).hasContent("{}");
        assertThat(target.resolve("lib/util.js")).hasContent("exports.x = 1;");
        assertThat(target.resolve("deep/er/file.txt")).hasContent("implicit parents");
        assertThat(mode(target.resolve("manifest.json"))).isEqualTo("rw-r--r--");
        assertThat(mode(target.resolve("lib/util.js"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(target.resolve("bin/run.sh"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(target.resolve("lib"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(target.resolve("deep/er"))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void shouldAcceptDotDotThatStaysInside() {
        extractor.extract(new TarGz().file("a/../b.txt", "ok").stream(), temp, LIMITS);
        assertThat(temp.resolve("b.txt")).hasContent("ok");
    }

    @Test
    void shouldRejectTraversalOutOfTheTarget() {
        Path target = temp.resolve("out");
        assertThatThrownBy(() -> extractor.extract(new TarGz().file("../evil.txt", "x").stream(), target, LIMITS))
                .isInstanceOf(BundleInvalidException.class)
                .hasMessage("bundle entry '../evil.txt' points outside the bundle")
                .satisfies(e -> assertThat(((BundleInvalidException) e).code()).isEqualTo("bundle_invalid"));
        assertThatThrownBy(() -> extractor.extract(new TarGz().file("./lib/../../../evil.txt", "x").stream(), target, LIMITS))
                .isInstanceOf(BundleInvalidException.class).hasMessageContaining("'./lib/../../../evil.txt'");
        assertThat(temp.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void shouldRejectAbsolutePaths() {
        assertThatThrownBy(() -> extractor.extract(new TarGz().file("/tmp/evil.txt", "x").stream(), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleInvalidException.class)
                .hasMessage("bundle entry '/tmp/evil.txt' has an absolute path");
    }

    @Test
    void shouldRejectSymbolicLinks() {
        byte[] bundle = new TarGz().file("index.js", "x").symlink("secrets", "/etc/passwd").bytes();
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleInvalidException.class)
                .hasMessage("bundle entry 'secrets' is a link; bundles must contain only files and folders");
    }

    @Test
    void shouldRejectHardLinks() {
        byte[] bundle = new TarGz().file("index.js", "x").hardlink("copy.js", "index.js").bytes();
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleInvalidException.class)
                .hasMessageContaining("'copy.js' is a link");
    }

    @Test
    void shouldRejectDevicesAndFifos() {
        for (byte type : new byte[] {TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO}) {
            byte[] bundle = new TarGz().special("dev", type).bytes();
            assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out" + type), LIMITS))
                    .isInstanceOf(BundleInvalidException.class)
                    .hasMessage("bundle entry 'dev' is a device or FIFO; bundles must contain only files and folders");
        }
    }

    @Test
    void shouldRejectOtherEntryTypes() {
        byte[] bundle = new TarGz().special("weird", (byte) 'V').bytes();
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleInvalidException.class).hasMessageContaining("'weird' has an unsupported type");
    }

    @Test
    void shouldRejectDuplicateEntriesAndFileFolderClashes() {
        assertThatThrownBy(() -> extractor.extract(new TarGz().file("a.js", "1").file("./a.js", "2").stream(),
                temp.resolve("dup"), LIMITS))
                .isInstanceOf(BundleInvalidException.class).hasMessageContaining("'./a.js' appears more than once");
        assertThatThrownBy(() -> extractor.extract(new TarGz().file("a", "1").file("a/b.js", "2").stream(),
                temp.resolve("clash"), LIMITS))
                .isInstanceOf(BundleInvalidException.class).hasMessageContaining("is both a file and a folder");
    }

    @Test
    void shouldRejectTooManyCompressedBytes() {
        byte[] noise = new byte[64 * 1024];
        new Random(1).nextBytes(noise);
        byte[] bundle = new TarGz().file("noise.bin", noise, 0644).bytes();
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"),
                new BundleLimits(16 * 1024, 1 << 20, 100)))
                .isInstanceOf(BundleTooLargeException.class)
                .hasMessage("bundle is larger than the limit of 16384 compressed bytes")
                .satisfies(e -> assertThat(((BundleTooLargeException) e).code()).isEqualTo("bundle_too_large"));
    }

    @Test
    void shouldRejectTooManyExtractedBytes() {
        byte[] bundle = new TarGz().file("a.bin", new byte[600_000], 0644).file("b.bin", new byte[600_000], 0644).bytes();
        assertThat(bundle.length).isLessThan(10_000);
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"),
                new BundleLimits(1 << 20, 1_000_000, 100)))
                .isInstanceOf(BundleTooLargeException.class)
                .hasMessage("bundle is larger than the limit of 1000000 extracted bytes");
    }

    @Test
    void shouldRejectTooManyEntries() {
        TarGz tar = new TarGz();
        for (int i = 0; i < 6; i++) {
            tar.file("f" + i + ".txt", "x");
        }
        assertThatThrownBy(() -> extractor.extract(tar.stream(), temp.resolve("out"), new BundleLimits(1 << 20, 1 << 20, 5)))
                .isInstanceOf(BundleTooLargeException.class)
                .hasMessageStartingWith("bundle has more than the limit of 5 entries");
    }

    @Test
    void shouldRejectInputThatIsNotGzip() {
        byte[] plain = "just some text, definitely not gzip".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(plain), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleInvalidException.class)
                .hasMessage("bundle is not a gzip-compressed tar archive");
    }

    @Test
    void shouldRejectGzipOfSomethingThatIsNotTar() {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(TarGz.gzip(garbage)), temp.resolve("a"), LIMITS))
                .isInstanceOf(BundleInvalidException.class)
                .hasMessage("bundle is not a gzip-compressed tar archive");
        byte[] text = "hello world\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(TarGz.gzip(text)), temp.resolve("b"), LIMITS))
                .isInstanceOf(BundleInvalidException.class)
                .hasMessage("bundle is not a gzip-compressed tar archive");
    }

    @Test
    void shouldRejectATruncatedBundle() {
        byte[] noise = new byte[32 * 1024];
        new Random(3).nextBytes(noise);
        byte[] bundle = new TarGz().file("manifest.json", "{}").file("noise.bin", noise, 0644).bytes();
        byte[] truncated = Arrays.copyOf(bundle, bundle.length / 2);
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(truncated), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleInvalidException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void shouldRefuseASymlinkedTarget() throws IOException {
        Path real = Files.createDirectory(temp.resolve("real"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), real);
        assertThatThrownBy(() -> extractor.extract(new TarGz().file("a", "1").stream(), link, LIMITS))
                .isInstanceOf(IllegalArgumentException.class);
        Path file = Files.writeString(temp.resolve("file"), "x");
        assertThatThrownBy(() -> extractor.extract(new TarGz().file("a", "1").stream(), file, LIMITS))
                .isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> files = Files.list(real)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shouldRejectInvalidLimits() {
        assertThatThrownBy(() -> new BundleLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(BundleLimits.DEFAULTS.maxEntries()).isPositive();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldRefuseANameComponentLongerThanTheFileSystemAllows() {
        byte[] bundle = new TarGz().file("a".repeat(256) + ".js", "x").bytes();
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleInvalidException.class).hasMessageContaining("longer than 255 bytes");
        byte[] fits = new TarGz().file("b".repeat(255), "x").bytes();
        extractor.extract(new ByteArrayInputStream(fits), temp.resolve("ok"), LIMITS);
        assertThat(temp.resolve("ok").resolve("b".repeat(255))).isRegularFile();
    }

    @Test
    void shouldRefuseAPathLongerThanTheLimit() {
        String name = ("d".repeat(200) + "/").repeat(6) + "f.js";
        byte[] bundle = new TarGz().file(name, "x").bytes();
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleInvalidException.class).hasMessageContaining("longer than 1024 bytes");
        assertThat(temp.resolve("out")).isEmptyDirectory();
    }

    @Test
    void shouldRefuseNamesNestedDeeperThanTheLimit() {
        byte[] bundle = new TarGz().file("a/".repeat(BundleLimits.DEFAULT_MAX_DEPTH) + "f.js", "x").bytes();
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"),
                new BundleLimits(1 << 20, 1 << 20, 1000)))
                .isInstanceOf(BundleInvalidException.class).hasMessageContaining("deeper than 32 folders");
        assertThat(temp.resolve("out")).isEmptyDirectory();
    }

    @Test
    void shouldRefuseAVeryDeepPaxNameWithoutOverflowingTheStack() {
        String deep = "a/".repeat(200_000) + "f.js";
        byte[] bundle = new TarGz().paxNamedFile(deep, "x").bytes();
        assertThat(bundle.length).isLessThan(4_000);
        BundleLimits roomy = new BundleLimits(1 << 20, 1 << 20, 1_000_000, 1_000_000, 3072);
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"), roomy))
                .isInstanceOf(BundleInvalidException.class);
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out2"), LIMITS))
                .isInstanceOf(BundleInvalidException.class);
    }

    @Test
    void shouldCountFoldersImpliedByDeepNamesAgainstTheEntryLimit() throws IOException {
        TarGz tar = new TarGz();
        for (int i = 0; i < 6; i++) { // 6 x (17 folders + 1 file) > 100, in 6 tar entries
            tar.file("x" + i + "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/f.js", "x");
        }
        byte[] bundle = tar.bytes();
        assertThat(bundle.length).isLessThan(1_000);
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleTooLargeException.class).hasMessageContaining("folders implied by deep names");
        try (Stream<Path> created = Files.walk(temp.resolve("out"))) {
            assertThat(created.count() - 1).isLessThanOrEqualTo(LIMITS.maxEntries());
        }
    }

    @Test
    void shouldRefuseControlCharactersInNames() {
        for (String name : Arrays.asList("a\nb.js", "esc\u001b[31m.js", "del\u007f")) {
            byte[] bundle = new TarGz().file(name, "x").bytes();
            assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"), LIMITS))
                    .as(name).isInstanceOf(BundleInvalidException.class).hasMessageContaining("invalid name");
        }
    }

    @Test
    void shouldStopAGzipBombOfHeaders() {
        org.apache.commons.compress.archivers.tar.TarArchiveEntry entry =
                new org.apache.commons.compress.archivers.tar.TarArchiveEntry("f.js", true);
        entry.addPaxHeader("comment", "c".repeat(8 << 20));
        entry.setSize(1);
        byte[] bundle = new TarGz().entry(entry, new byte[] {'x'}).bytes();
        assertThat(bundle.length).isLessThan(64 * 1024);
        assertThatThrownBy(() -> extractor.extract(new ByteArrayInputStream(bundle), temp.resolve("out"), LIMITS))
                .isInstanceOf(BundleTooLargeException.class).hasMessageContaining("decompressed bytes");
    }
}
