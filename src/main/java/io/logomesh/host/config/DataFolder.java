package io.logomesh.host.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's data folder (absolute) and the well-known places inside it. */
@ApplicationScoped
public class DataFolder {

    private final Path root;
    private final Path ipcRoot;

    @Inject
    public DataFolder(HostConfig config) {
        this(Path.of(config.dataDir()), config.ipc().dir().map(Path::of));
    }

    DataFolder(Path root, java.util.Optional<Path> ipcRoot) {
        this.root = root.toAbsolutePath().normalize();
        this.ipcRoot = ipcRoot.map(p -> p.toAbsolutePath().normalize()).orElse(this.root.resolve("ipc"));
        try {
            Files.createDirectories(this.root);
            Files.createDirectories(pluginsRoot());
            Files.createDirectories(this.ipcRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + this.root, e);
        }
    }

    /** The data folder itself. */
    public Path root() {
        return root;
    }

    /** Where installed plugins live, one sub-folder each. */
    public Path pluginsRoot() {
        return root.resolve("plugins");
    }

    /** Where the per-plugin IPC folders live. */
    public Path ipcRoot() {
        return ipcRoot;
    }
}
