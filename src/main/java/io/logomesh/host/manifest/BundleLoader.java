package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a plugin bundle folder: finds {@code manifest.json}, parses and validates it, and checks
 * what only the files can tell (the {@code main} file exists as a regular file inside the
 * bundle; for {@code webassembly} it starts with the WebAssembly binary header). All violations are reported together in one {@link ManifestInvalidException}.
 *
 * <p>The root is the folder itself, or, when the folder has no {@code manifest.json} and its only
 * entry is a folder holding one (a bundle packed as {@code tar czf x.tgz hello-node/}), that folder.
 * Symbolic links are never followed: not for the folder's manifest, nor for {@code main}.
 */
public class BundleLoader {

    /** The manifest's file name at the bundle root. */
    public static final String MANIFEST_FILE = "manifest.json";

    private final ManifestParser parser;

    /** A loader with its own parser and validator. */
    public BundleLoader() {
        this(new ManifestParser());
    }

    /** A loader sharing a parser. */
    public BundleLoader(ManifestParser parser) {
        this.parser = parser;
    }

    /**
     * Loads and validates the bundle in {@code folder}.
     *
     * @throws ManifestInvalidException listing every problem; path {@code /} with
     *                                  "bundle has no manifest.json at its root" when there is none
     * @throws UncheckedIOException     when the folder cannot be read
     */
    public Bundle load(Path folder) {
        Path root = findRoot(folder.toAbsolutePath().normalize());
        if (root == null) {
            throw ManifestInvalidException.atRoot("bundle has no manifest.json at its root");
        }
        JsonNode json = ManifestParser.readTree(readManifest(root.resolve(MANIFEST_FILE)));
        PluginManifest manifest = parser.parse(json, node -> checkMain(root, node));
        return new Bundle(root, manifest);
    }

    private static Path findRoot(Path folder) {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new UncheckedIOException(new NoSuchFileException(folder.toString(), null, "not a folder"));
        }
        if (Files.exists(folder.resolve(MANIFEST_FILE), LinkOption.NOFOLLOW_LINKS)) {
            return folder;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(children::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (children.size() == 1) {
            Path only = children.get(0);
            if (Files.isDirectory(only, LinkOption.NOFOLLOW_LINKS)
                    && Files.exists(only.resolve(MANIFEST_FILE), LinkOption.NOFOLLOW_LINKS)) {
                return only;
            }
        }
        return null;
    }

    private static byte[] readManifest(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw ManifestInvalidException.atRoot("manifest.json must be a regular file, not a link or a folder");
        }
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(ManifestParser.MAX_MANIFEST_BYTES + 1);
            if (bytes.length > ManifestParser.MAX_MANIFEST_BYTES) {
                throw ManifestInvalidException.atRoot(
                        "manifest.json is larger than " + (ManifestParser.MAX_MANIFEST_BYTES / 1024) + " KiB");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** The bundle-dependent check: {@code main} (or the runtime's default) is a regular file in the bundle. */
    private static List<ManifestViolation> checkMain(Path root, JsonNode manifest) {
        JsonNode mainNode = manifest.get("main");
        String main;
        boolean wasm = "webassembly".equals(manifest.path("runtime").asText());
        if (mainNode != null) {
            if (!mainNode.isTextual() || mainNode.asText().isEmpty()) {
                return List.of(); // the schema reports it
            }
            main = mainNode.asText();
        } else {
            try {
                main = PluginManifest.Runtime.fromWireName(manifest.path("runtime").asText()).defaultMain();
            } catch (IllegalArgumentException e) {
                return List.of(); // unknown runtime: the schema reports it
            }
        }
        String problem = mainProblem(root, main);
        if (problem == null && wasm) {
            problem = WasmHeader.problem(root.resolve(main).normalize(), main);
        }
        return problem == null ? List.of() : List.of(new ManifestViolation("/main", problem));
    }

    private static String mainProblem(Path root, String main) {
        if (main.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            return "must be a file name without NUL, control characters or backslashes";
        }
        if (main.getBytes(StandardCharsets.UTF_8).length > BundleLimits.DEFAULT_MAX_PATH_BYTES) {
            return "must be at most " + BundleLimits.DEFAULT_MAX_PATH_BYTES + " bytes long";
        }
        Path target;
        try {
            target = root.resolve(main).normalize();
        } catch (InvalidPathException e) {
            return "must be a file name this host can store";
        }
        if (main.startsWith("/") || !target.startsWith(root) || target.equals(root)) {
            return "file '" + main + "' is outside the bundle";
        }
        Path current = root;
        for (Path part : root.relativize(target)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                return "file '" + main + "' must not be or lie under a symbolic link";
            }
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return "file '" + main + "' not found in the bundle";
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return "file '" + main + "' is not a regular file";
        }
        return null;
    }
}
