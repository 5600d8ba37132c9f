package io.logomesh.host.plugin;

import io.logomesh.host.PluginHostException;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.settings.OperatorConfigs;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.manifest.Bundle;
import io.logomesh.host.manifest.BundleExtractor;
import io.logomesh.host.manifest.BundleLimits;
import io.logomesh.host.manifest.BundleLoader;
import io.logomesh.host.manifest.ManifestInvalidException;
import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.plugin.restart.PluginRestartEvent;
import io.logomesh.host.plugin.restart.RestartScheduler;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The pool of installed plugins: installs bundles, hands out {@link PluginHandle}s, loads
 * the state kept on disk at start-up (activating again what was ACTIVE), installs the
 * plugin folders found in {@code logomesh.plugins-dir}, and stops every container when
 * the host stops. When the engine was away and answers again it reconciles: removes its own leftover
 * containers and starts every plugin that should run, in dependency order. When a plugin fails for good,
 * its running dependents get a {@code dependencyFailed} event (and are stopped if
 * {@code logomesh.restart.dependents=stop}).
 */
@ApplicationScoped
public class PluginManager {

    private static final Logger LOG = Logger.getLogger(PluginManager.class);
    /** The {@code from} of events the host itself sends (no plugin id can start with {@code @}). */
    public static final String HOST_SENDER = "@host";
    /** Event topic a running dependent gets when one of its dependencies failed for good. */
    public static final String DEPENDENCY_FAILED = "dependencyFailed";

    private final Map<String, PluginHandle> handles = new ConcurrentHashMap<>();
    private final Object installLock = new Object();
    private final PluginStore store;
    private final SessionLauncher launcher;
    private final ContainerFactory containers;
    private final ContainerSpecs specs;
    private final HostConfig config;
    private final DataFolder data;
    private final BundleExtractor extractor;
    private final BundleLoader loader;
    private final Event<PluginStateEvent> stateEvents;
    private final HostCalls calls;
    private final HostVersions versions;
    private final Dependencies dependencies = new Dependencies(handles);
    /** Held while a dependency check and the state change it allows happen together. */
    private final Object dependencyLock = new Object();
    private final Upgrader upgrader;
    /** Start-up reactivations and engine reconciliations in progress (readiness is DOWN meanwhile). */
    private final AtomicInteger reconciling = new AtomicInteger();
    private final RestartContext restarts;
    private final Event<PluginRestartEvent> restartEvents;

    @Inject
    public PluginManager(PluginStore store, SessionLauncher launcher, ContainerFactory containers,
                         ContainerSpecs specs, HostConfig config, DataFolder data, BundleExtractor extractor,
                         BundleLoader loader, Event<PluginStateEvent> stateEvents, HostCalls calls,
                         HostVersions versions, OperatorConfigs configs, Event<AuditEvent> audit,
                         Event<PluginUpgradedEvent> upgraded, RestartScheduler scheduler,
                         Event<PluginRestartEvent> restartEvents, Event<PluginMovedEvent> movedEvents) {
        this.upgrader = new Upgrader(store, dependencies, configs, audit::fire, upgraded::fire);
        this.store = store;
        this.launcher = launcher;
        this.containers = containers;
        this.specs = specs;
        this.config = config;
        this.data = data;
        this.stateEvents = stateEvents;
        this.extractor = extractor;
        this.loader = loader;
        this.calls = calls;
        this.versions = versions;
        this.restartEvents = restartEvents;
        this.restarts = new RestartContext(scheduler, this::publishRestart, dependencies::requireActive,
                dependencyLock, moved -> publishMove(movedEvents, moved));
    }

    void onStart(@Observes StartupEvent event) {
        try {
            containers.removeLeftovers(Set.of());
        } catch (ContainerEngineException e) {
            LOG.warnf("%s; leftover containers were not checked and plugins cannot start until it does",
                    e.getMessage());
        }
        List<PluginHandle> wanted = loadInstalled();
        config.pluginsDir().map(Path::of).ifPresent(this::installFolders);
        if (!wanted.isEmpty()) {
            reconciling.incrementAndGet();
            Thread.ofVirtual().name("reactivate").start(() -> {
                try {
                    reactivate(wanted);
                } finally {
                    reconciling.decrementAndGet();
                }
            });
        }
    }

    /** Whether a start-up reactivation or an engine reconciliation is in progress. */
    public boolean isReconciling() {
        return reconciling.get() > 0;
    }

    /** Pause between two passes of {@link #reconcile()} while a restart is still under way. */
    private static final long RECONCILE_PAUSE_MS = 100;

    /**
     * The engine answers again after it was away: removes this host's containers of plugins that do not run
     * (left by the engine's stop), then starts every plugin waiting to be restarted, in waves, each after the
     * ones it depends on, in passes until none is being restarted (at most three activation timeouts). Returns
     * when every start is over.
     */
    public void reconcile() {
        reconciling.incrementAndGet();
        try {
            Set<String> keep = handles.values().stream()
                    .filter(h -> h.state() == PluginState.ACTIVE || h.state() == PluginState.STARTING
                            || h.state() == PluginState.STOPPING)
                    .map(PluginHandle::id).collect(Collectors.toSet());
            try {
                containers.removeLeftovers(keep);
            } catch (ContainerEngineException e) {
                LOG.warnf("reconciling after the engine came back: leftovers not checked: %s", e.getMessage());
            }
            // passes until nothing is being restarted: a restart already under way when the engine came back (its
            // back-off ended just then) may make a dependent's first try fail, so it is tried again; bounded in time
            long deadline = System.nanoTime() + 3 * config.lifecycle().activationTimeout().toNanos();
            boolean first = true;
            while (true) {
                List<PluginHandle> waiting = handles.values().stream().filter(PluginHandle::isRestarting).toList();
                if (waiting.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                if (first) {
                    LOG.infof("the engine answers again: restarting %d plugin(s) in dependency order", waiting.size());
                    first = false;
                }
                for (List<PluginHandle> wave : Dependencies.waves(waiting)) {
                    List<Thread> threads = new ArrayList<>();
                    for (PluginHandle handle : wave) {
                        threads.add(Thread.ofVirtual().name("reconcile-" + handle.id()).start(handle::restartNow));
                    }
                    for (Thread t : threads) {
                        t.join();
                    }
                }
                Thread.sleep(RECONCILE_PAUSE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reconciling.decrementAndGet();
        }
    }

    /** Starts again what ran before the restart: in waves, each plugin after the ones it depends on. */
    private void reactivate(List<PluginHandle> wanted) {
        for (List<PluginHandle> wave : Dependencies.waves(wanted)) {
            List<Thread> threads = new ArrayList<>();
            for (PluginHandle handle : wave) {
                threads.add(Thread.ofVirtual().name("reactivate-" + handle.id()).start(() -> activateQuietly(handle)));
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Cluster mode: a plugin whose node was lost is followed to the node the swarm places it on next. */
    void onNodeLost(@Observes io.logomesh.host.container.ContainerNodeLostEvent event) {
        find(event.pluginId()).ifPresent(h -> Thread.ofVirtual().name("node-lost-" + h.id())
                .start(() -> h.onNodeLost(event.nodeId()))); // asks the manager: not on the link's thread
    }

    void onStop(@Observes ShutdownEvent event) {
        List<Thread> stopping = new ArrayList<>();
        for (PluginHandle handle : handles.values()) {
            stopping.add(Thread.ofVirtual().start(handle::shutdown));
        }
        for (Thread t : stopping) {
            try {
                t.join(config.lifecycle().stopGrace().plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        BackgroundRemovals.awaitAll(PluginSession.ENGINE_BOUND); // containers killed past a deadline, still going
    }

    /** Installs a tar.gz bundle. */
    public PluginSnapshot install(InputStream tarGz) {
        Path staging = newStaging();
        try {
            Path extracted = staging.resolve("upload");
            extractor.extract(UploadBuffer.read(tarGz, config.bundle().maxBytes()), extracted, limits());
            Bundle bundle = loader.load(extracted);
            return register(bundle, staging).snapshot();
        } finally {
            PluginStore.deleteTree(staging);
        }
    }

    /**
     * Upgrades plugin {@code id} in place to a tar.gz bundle of the same id (checked like an install; see
     * {@link Upgrader} and {@link PluginHandle#upgrade}).
     */
    public PluginSnapshot upgrade(String id, InputStream tarGz) {
        return upgrade(id, tarGz, false);
    }

    /** Upgrades plugin {@code id} back to the version it ran before its last upgrade (the same switch). */
    public PluginSnapshot rollback(String id) {
        PluginHandle handle = get(id);
        Path previous = store.previousCodeDir(id);
        if (!Files.isDirectory(previous, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoPreviousVersionException("plugin " + id + " has no previous version (it was never upgraded)");
        }
        return upgrade(handle.id(), FolderPacker.pack(previous), true);
    }

    private PluginSnapshot upgrade(String id, InputStream tarGz, boolean rollback) {
        PluginHandle handle = get(id);
        Path staging = newStaging();
        try {
            Path extracted = staging.resolve("upload");
            extractor.extract(UploadBuffer.read(tarGz, config.bundle().maxBytes()), extracted, limits());
            Bundle bundle = loader.load(extracted);
            PluginManifest manifest = bundle.manifest();
            if (manifest.id().equals(id)) {
                requireRuntime(manifest);
                List<ManifestViolation> incompatible = versions.incompatibilities(manifest);
                if (!incompatible.isEmpty()) {
                    throw new ManifestInvalidException(incompatible);
                }
            }
            upgrader.upgrade(handle, bundle, installLock, rollback);
            LOG.infof("upgraded plugin %s to %s", id, manifest.version());
            return handle.snapshot();
        } finally {
            PluginStore.deleteTree(staging);
        }
    }

    /** Installs a bundle folder (packed and checked exactly like an upload). */
    public PluginSnapshot installFolder(Path folder) {
        return install(FolderPacker.pack(folder));
    }

    public Collection<PluginSnapshot> list() {
        return handles.values().stream().map(PluginHandle::snapshot)
                .sorted(Comparator.comparing(PluginSnapshot::id)).toList();
    }

    public PluginHandle get(String id) {
        PluginHandle handle = handles.get(id);
        if (handle == null) {
            throw new PluginNotFoundException("no plugin '" + id + "' is installed");
        }
        return handle;
    }

    public PluginSnapshot activate(String id) {
        return activate(id, false);
    }

    /**
     * Activates a plugin whose dependencies are all installed in matching versions and ACTIVE;
     * with {@code cascade}, activates the dependencies that are not first, in dependency order.
     */
    public PluginSnapshot activate(String id, boolean cascade) {
        PluginHandle handle = get(id);
        if (cascade) {
            for (PluginHandle h : dependencies.activationOrder(handle)) {
                if (h != handle && h.state() != PluginState.ACTIVE) {
                    h.activate(activationGuard(h), dependencyLock);
                }
            }
        }
        handle.activate(activationGuard(handle), dependencyLock);
        return handle.snapshot();
    }

    public PluginSnapshot deactivate(String id) {
        return deactivate(id, false);
    }

    /**
     * Deactivates a plugin no running plugin depends on; with {@code cascade}, deactivates the
     * running dependents first (theirs before them).
     */
    public PluginSnapshot deactivate(String id, boolean cascade) {
        PluginHandle handle = get(id);
        if (cascade) {
            for (PluginHandle h : dependencies.deactivationOrder(handle)) {
                if (h != handle && h.state() == PluginState.ACTIVE) {
                    h.deactivate(() -> requireNoRunningDependents(h), dependencyLock);
                }
            }
        }
        handle.deactivate(() -> requireNoRunningDependents(handle), dependencyLock);
        return handle.snapshot();
    }

    /** Uninstalls a plugin no installed plugin depends on. */
    public void uninstall(String id) {
        PluginHandle handle = get(id);
        handle.uninstall(() -> {
            List<PluginHandle> dependents = dependencies.dependents(id);
            if (!dependents.isEmpty()) {
                throw new DependencyException("dependents_installed", "plugin " + id + " is needed by installed plugin(s) "
                        + Dependencies.ids(dependents) + "; uninstall them first");
            }
        }, dependencyLock);
        handles.remove(id, handle);
        PluginHandle.ipcFolders(id).forEach(f -> PluginStore.deleteTree(data.ipcRoot().resolve(f)));
        containers.released(id);
    }

    /** What must hold before a plugin starts: its dependencies ACTIVE, its effective config valid. */
    private Runnable activationGuard(PluginHandle handle) {
        return () -> {
            dependencies.requireActive(handle);
            launcher.requireValidConfig(handle.manifest());
        };
    }

    private void requireNoRunningDependents(PluginHandle handle) {
        List<PluginHandle> dependents = dependencies.runningDependents(handle.id());
        if (!dependents.isEmpty()) {
            throw new DependencyException("dependents_active", "plugin " + handle.id() + " is needed by running plugin(s) "
                    + Dependencies.ids(dependents) + "; deactivate them first or use ?cascade=true");
        }
    }

    private PluginHandle register(Bundle bundle, Path staging) {
        PluginManifest manifest = bundle.manifest();
        requireRuntime(manifest);
        List<ManifestViolation> incompatible = versions.incompatibilities(manifest);
        if (!incompatible.isEmpty()) {
            throw new ManifestInvalidException(incompatible);
        }
        String id = manifest.id();
        synchronized (installLock) {
            PluginHandle existing = handles.get(id);
            if (existing != null) {
                throw new PluginAlreadyInstalledException("plugin '" + id + "' is installed already (version "
                        + existing.manifest().version() + "); uninstall it first");
            }
            dependencies.cycle(manifest).ifPresent(v -> {
                throw new ManifestInvalidException(List.of(v));
            });
            Path dir = store.pluginDir(id);
            try {
                Files.move(bundle.root(), staging.resolve("code"), StandardCopyOption.ATOMIC_MOVE);
                PluginStore.deleteTree(staging.resolve("upload"));
                PluginStore.deleteTree(dir);
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store plugin " + id, e);
            }
            Instant now = Instant.now();
            PluginRecord record = new PluginRecord(id, PluginState.INSTALLED, null, allocateUid(id), now, now);
            store.save(record);
            PluginHandle handle = newHandle(manifest, record);
            handles.put(id, handle);
            LOG.infof("installed plugin %s %s (%s)", id, manifest.version(), manifest.runtime().wireName());
            return handle;
        }
    }

    private void requireRuntime(PluginManifest manifest) {
        String image = specs.imageFor(manifest.runtime());
        if (!containers.imageExists(image)) {
            throw new ManifestInvalidException(List.of(new ManifestViolation("/runtime",
                    "runtime '" + manifest.runtime().wireName() + "' is not available on this host (image "
                            + image + " is missing)")));
        }
    }

    /** A distinct uid per plugin, stable for its id where possible. */
    private int allocateUid(String id) {
        Set<Integer> used = handles.values().stream().map(h -> h.snapshot().uid()).collect(Collectors.toSet());
        int range = config.limits().uidRange();
        int slot = Math.floorMod(id.hashCode(), range);
        for (int i = 0; i < range; i++) {
            int uid = config.limits().uidBase() + (slot + i) % range;
            if (!used.contains(uid)) {
                return uid;
            }
        }
        throw new IllegalStateException("no free plugin uid left");
    }

    private List<PluginHandle> loadInstalled() {
        List<PluginHandle> wanted = new ArrayList<>();
        for (PluginRecord record : store.loadAll()) {
            PluginManifest manifest;
            try {
                manifest = loader.load(store.codeDir(record.id())).manifest();
            } catch (PluginHostException | UncheckedIOException | IllegalArgumentException e) {
                LOG.warnf("installed plugin %s cannot be loaded any more (its folder is kept): %s", record.id(),
                        e.getMessage());
                continue;
            }
            boolean wasRunning = record.state().isRunning();
            PluginRecord current = wasRunning ? record.with(PluginState.INACTIVE, null, record.updatedAt()) : record;
            PluginHandle handle = newHandle(manifest, current);
            handles.put(record.id(), handle);
            if (wasRunning) {
                wanted.add(handle);
            }
        }
        LOG.infof("loaded %d installed plugin(s); %d to activate again", handles.size(), wanted.size());
        return wanted;
    }

    private void installFolders(Path root) {
        if (!Files.isDirectory(root)) {
            LOG.infof("plugins folder %s does not exist; nothing to load", root.toAbsolutePath());
            return;
        }
        try (var dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        || !Files.exists(dir.resolve("manifest.json"))) {
                    continue;
                }
                try {
                    installFolder(dir);
                } catch (PluginAlreadyInstalledException e) {
                    FolderChanges.handle(dir, this, store, loader, config.plugins().onChange());
                } catch (ManifestInvalidException e) {
                    LOG.warnf("plugin folder %s is not a valid bundle: %s %s", dir, e.getMessage(), e.violations());
                } catch (PluginHostException e) {
                    LOG.warnf("plugin folder %s was not installed: %s", dir, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot read plugins folder %s: %s", root, e.getMessage());
        }
    }

    private void activateQuietly(PluginHandle handle) {
        try {
            handle.activate(activationGuard(handle), dependencyLock);
        } catch (PluginHostException e) {
            LOG.warnf("plugin %s was ACTIVE before the restart but did not start again: %s", handle.id(),
                    PluginLogText.sanitise(String.valueOf(e.getMessage()), PluginLogText.REASON_CHARS));
        }
    }

    private PluginHandle newHandle(PluginManifest manifest, PluginRecord record) {
        return new PluginHandle(manifest, record, launcher, store, config, this::publish, calls, restarts);
    }

    private void publish(PluginStateEvent event) {
        LOG.infof("plugin %s: %s -> %s%s", event.pluginId(), event.from(), event.to(),
                event.reason() == null ? "" : " (" + PluginLogText.sanitise(event.reason(), PluginLogText.REASON_CHARS) + ")");
        stateEvents.fire(event);
        if (event.to() == PluginState.FAILED && event.from() != PluginState.INSTALLED) {
            Thread.ofVirtual().name("dependency-failed-" + event.pluginId()).start(() -> dependencyFailed(event));
        }
    }

    private static void publishMove(Event<PluginMovedEvent> events, PluginMovedEvent event) {
        try {
            events.fire(event);
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: reporting its move failed: %s", event.pluginId(), e.getMessage());
        }
    }

    private void publishRestart(PluginRestartEvent event) {
        try {
            restartEvents.fire(event);
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: reporting its restart failed: %s", event.pluginId(), e.getMessage());
        }
    }

    /**
     * A plugin failed for good: its running dependents get the event {@code dependencyFailed} (from
     * {@link #HOST_SENDER}); with {@code logomesh.restart.dependents=stop} they are then deactivated
     * (theirs first).
     */
    private void dependencyFailed(PluginStateEvent event) {
        List<PluginHandle> dependents = dependencies.runningDependents(event.pluginId());
        if (dependents.isEmpty()) {
            return;
        }
        boolean stop = "stop".equals(config.restart().dependents());
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("from", HOST_SENDER)
                .put("topic", DEPENDENCY_FAILED);
        params.putObject("data").put("dependency", event.pluginId()).put("state", event.to().name())
                .put("reason", event.reason()).put("action", stop ? "stop" : "keep-running");
        for (PluginHandle h : dependents) {
            boolean told = h.notifyRuntime("event", params);
            LOG.infof("plugin %s: its dependency %s failed for good; %s%s", h.id(), event.pluginId(),
                    told ? "told it" : "could not tell it", stop ? "; stopping it" : "; it keeps running");
        }
        if (stop) {
            for (PluginHandle h : dependents) {
                try {
                    if (h.state() == PluginState.ACTIVE || h.state() == PluginState.RESTARTING) {
                        deactivate(h.id(), true);
                    }
                } catch (PluginHostException e) {
                    LOG.warnf("plugin %s: stopping it after its dependency %s failed did not work: %s", h.id(),
                            event.pluginId(), e.getMessage());
                }
            }
        }
    }

    private BundleLimits limits() {
        return new BundleLimits(config.bundle().maxBytes(), config.bundle().maxExtractedBytes(),
                config.bundle().maxEntries(), config.bundle().maxDepth(), config.bundle().maxPathBytes());
    }

    private Path newStaging() {
        try {
            return store.newStagingDir();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging folder", e);
        }
    }

    Optional<PluginHandle> find(String id) {
        return Optional.ofNullable(handles.get(id));
    }
}
