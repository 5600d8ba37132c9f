package io.logomesh.host.prewarm;

import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.ipc.IncomingHandler;
import io.logomesh.host.ipc.PluginChannel;
import io.logomesh.host.ipc.PluginEndpoint;
import io.logomesh.host.manifest.PluginManifest.Runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * One prewarmed container: started with the full lockdown, its runtime connected to its own socket and waiting
 * for {@code load}. Single use: {@link #handTo} gives it to one plugin, whose session then owns the endpoint,
 * the connection and {@link #container()} (removing that container also removes the cell's folders and frees
 * its uid); a cell never taken, or one that failed to load, is {@link #destroy destroyed}.
 */
public final class Cell {

    private final String name;
    private final Runtime runtime;
    private final int uid;
    private final Path folder;
    private final PluginContainer engineContainer;
    private final PluginEndpoint endpoint;
    private final PluginChannel channel;
    private final CellHandler handler;
    private final IntConsumer releaseUid;
    private final AtomicBoolean released = new AtomicBoolean();
    private final PluginContainer container;

    Cell(String name, Runtime runtime, int uid, Path folder, PluginContainer engineContainer, PluginEndpoint endpoint,
         PluginChannel channel, CellHandler handler, IntConsumer releaseUid) {
        this.name = name;
        this.runtime = runtime;
        this.uid = uid;
        this.folder = folder;
        this.engineContainer = engineContainer;
        this.endpoint = endpoint;
        this.channel = channel;
        this.handler = handler;
        this.releaseUid = releaseUid;
        this.container = new Owned();
    }

    /** Where a cell's code folder is, under its folder. */
    static Path codeDirOf(Path folder) {
        return folder.resolve("code");
    }

    /** Where a cell's IPC folder is, under its folder. */
    static Path ipcDirOf(Path folder) {
        return folder.resolve("ipc");
    }

    /** The container's name before a plugin takes it ({@code logomesh-cell-<runtime>-<n>}). */
    public String name() {
        return name;
    }

    public Runtime runtime() {
        return runtime;
    }

    /** The uid the cell's runtime runs as (and the plugin after it). */
    public int uid() {
        return uid;
    }

    public PluginEndpoint endpoint() {
        return endpoint;
    }

    public PluginChannel channel() {
        return channel;
    }

    /** The container; its {@link PluginContainer#remove()} also removes the cell's folders and frees its uid. */
    public PluginContainer container() {
        return container;
    }

    /** Whether the runtime is still connected (an idle cell whose container died is not). */
    public boolean isAlive() {
        return channel.isOpen();
    }

    /** Copies (hard-links) the plugin's code into the cell's code folder, mounted read-only at the code path. */
    public void fillCode(Path pluginCode) throws IOException {
        CodeFolder.fill(pluginCode, codeDirOf(folder));
    }

    /** From now on the socket speaks for {@code pluginId}: requests and notifications go to {@code target}. */
    public void handTo(String pluginId, IncomingHandler target) {
        handler.handTo(pluginId, target);
        endpoint.serveAs(pluginId);
    }

    /** Kills and removes everything of the cell (no grace: nothing of a plugin's runs in it, or it failed). */
    public void destroy() {
        channel.close();
        endpoint.close();
        container.kill();
        container.remove();
    }

    private void releaseFolders() {
        if (released.compareAndSet(false, true)) {
            CodeFolder.delete(folder);
            releaseUid.accept(uid);
        }
    }

    /** The engine's container, with the cell's clean-up tied to its removal. */
    private final class Owned implements PluginContainer {

        @Override
        public String id() {
            return engineContainer.id();
        }

        @Override
        public void stop(Duration grace) {
            engineContainer.stop(grace);
        }

        @Override
        public void kill() {
            engineContainer.kill();
        }

        @Override
        public void rename(String newName) {
            engineContainer.rename(newName);
        }

        @Override
        public void remove() {
            engineContainer.remove();
            releaseFolders();
        }

        @Override
        public Optional<ContainerExit> awaitExit(Duration timeout) {
            return engineContainer.awaitExit(timeout);
        }
    }
}
