package io.logomesh.host.plugin;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.plugin.restart.PluginRestartEvent;
import io.logomesh.host.plugin.restart.RestartScheduler;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.container.NodeUnavailableException;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.manifest.BundleExtractor;
import io.logomesh.host.manifest.BundleLoader;
import io.logomesh.host.manifest.PermissionAuthority;
import io.logomesh.host.support.TestDataFolders;
import jakarta.enterprise.event.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Proxy;
import io.logomesh.host.container.ContainerResources;
import io.logomesh.host.prewarm.CellPool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pool's start-up logic (folders, state on disk, activating again) with the narrow
 * container API replaced: this engine refuses every container, so nothing here needs Docker.
 * {@code HostRestartIT} covers the same ground with the packaged service and real containers.
 */
class PluginManagerTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @TempDir
    Path dir;

    private final RefusingEngine engine = new RefusingEngine();
    /** No container ever runs here, so there is never output to read. */
    private static final io.logomesh.host.container.ContainerLogs NO_LOGS = new io.logomesh.host.container.ContainerLogs() {
        @Override
        public String tail(String pluginId, int lines) {
            return "";
        }

        @Override
        public String timedTail(String containerId, int lines) {
            return "";
        }

        @Override
        public Runnable follow(String pluginId, java.util.function.Consumer<String> line) {
            return () -> { };
        }
    };
    private final List<PluginStateEvent> events = new CopyOnWriteArrayList<>();
    private Path examples;

    @BeforeEach
    void copyExamples() throws IOException {
        examples = Files.createDirectories(dir.resolve("examples"));
        copy(Path.of("plugins/hello-node"), examples.resolve("hello-node"));
        copy(Path.of("plugins/hello-python"), examples.resolve("hello-python"));
    }

    @Test
    void shouldInstallEveryValidFolderAndSkipTheRest() throws IOException {
        Path broken = Files.createDirectories(examples.resolve("broken"));
        Files.writeString(broken.resolve("manifest.json"), "{\"id\": \"Broken!\"}");
        Path linked = copy(Path.of("plugins/hello-node"), examples.resolve("linked"));
        rewriteId(linked, "linked-node");
        Files.createSymbolicLink(linked.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createDirectories(examples.resolve("not-a-plugin"));

        PluginManager manager = start();

        assertThat(manager.list()).extracting(PluginSnapshot::id).containsExactly("hello-node", "hello-python");
        assertThat(manager.list()).extracting(PluginSnapshot::state).containsOnly(PluginState.INSTALLED);
        assertThat(engine.leftoverSweeps).isEqualTo(1);
        assertThat(start().list()).as("a second start finds them installed, not twice").hasSize(2);
    }

    @Test
    void shouldActivateAgainWhatWasActiveAndRecordWhyItCouldNot() throws Exception {
        start();
        PluginStore store = new PluginStore(data(), JSON);
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        store.save(new PluginRecord("hello-node", PluginState.ACTIVE, null, 20123, then, then));

        PluginManager restarted = start();

        PluginHandle node = restarted.get("hello-node");
        long deadline = System.currentTimeMillis() + 5_000;
        while (node.state() != PluginState.FAILED && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(node.snapshot().failureReason()).isEqualTo("launch_failed");
        assertThat(node.snapshot().uid()).isEqualTo(20123);
        assertThat(restarted.get("hello-python").state()).isEqualTo(PluginState.INSTALLED);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.pluginId()).isEqualTo("hello-node");
            assertThat(e.from()).isEqualTo(PluginState.INACTIVE);
            assertThat(e.to()).isEqualTo(PluginState.STARTING);
        });
        assertThat(store.loadAll()).filteredOn(r -> r.id().equals("hello-node"))
                .extracting(PluginRecord::state).containsExactly(PluginState.FAILED);
    }

    @Test
    void shouldStoreTheOutcomeOfAFailedActivationNotTheActiveRecordWrittenAheadOfIt() throws InterruptedException {
        // the ACTIVE record written ahead lands well after the start has failed (the engine refuses at once)
        PluginManager manager = start(Map.of("logomesh.plugins-dir", examples.toString()), data -> new PluginStore(data, JSON) {
            @Override
            public void save(PluginRecord record) {
                if (record.state() == PluginState.ACTIVE) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.save(record);
            }
        });

        assertThatThrownBy(() -> manager.activate("hello-node")).isInstanceOf(ContainerLaunchException.class);
        Thread.sleep(500); // past the slow write, had it been left to land on its own

        // the ACTIVE record is written in the background while the start runs; the outcome is written after it
        assertThat(new PluginStore(data(), JSON).loadAll()).filteredOn(r -> r.id().equals("hello-node"))
                .extracting(PluginRecord::state, PluginRecord::failureReason)
                .containsExactly(tuple(PluginState.FAILED, "launch_failed"));
    }

    @Test
    void shouldLetAPluginWaitForItsNodeAsNodeUnavailableWithoutSpendingItsCrashBudget() throws Exception {
        engine.refusal = () -> new NodeUnavailableException("the node holding the data of plugin hello-node is paused");
        PluginManager manager = start(Map.of("logomesh.plugins-dir", examples.toString(),
                "logomesh.restart.policy", "on-failure", "logomesh.restart.max-restarts", "1",
                "logomesh.restart.initial-backoff", "20ms", "logomesh.restart.max-backoff", "40ms"));

        assertThatThrownBy(() -> manager.activate("hello-node")).isInstanceOf(NodeUnavailableException.class);
        long deadline = System.currentTimeMillis() + 10_000;
        while (engine.starts.get() < 6 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }

        PluginHandle handle = manager.get("hello-node");
        assertThat(engine.starts.get()).as("tried again and again, past a crash budget of 1").isGreaterThanOrEqualTo(6);
        assertThat(handle.state()).as("waiting, not a crash loop").isEqualTo(PluginState.RESTARTING);
        assertThat(handle.snapshot().failureReason()).isEqualTo("node_unavailable");
        assertThat(events).filteredOn(e -> e.pluginId().equals("hello-node") && e.to() == PluginState.RESTARTING)
                .extracting(PluginStateEvent::reason).containsOnly("node_unavailable");
        assertThat(events).filteredOn(e -> e.to() == PluginState.FAILED).isEmpty();
        manager.deactivate("hello-node");
        assertThat(handle.state()).as("an operator may stop the wait").isEqualTo(PluginState.INACTIVE);
    }

    @Test
    void shouldLeaveAPluginWhoseNodeIsAwayFailedNodeUnavailableUnderPolicyNever() {
        engine.refusal = () -> new NodeUnavailableException("the node holding the data of plugin hello-node is down");
        PluginManager manager = start(Map.of("logomesh.plugins-dir", examples.toString(),
                "logomesh.restart.policy", "never"));

        assertThatThrownBy(() -> manager.activate("hello-node")).isInstanceOf(NodeUnavailableException.class);

        assertThat(manager.get("hello-node").state()).isEqualTo(PluginState.FAILED);
        assertThat(manager.get("hello-node").snapshot().failureReason()).as("not launch_failed")
                .isEqualTo("node_unavailable");
        assertThat(new PluginStore(data(), JSON).loadAll()).filteredOn(r -> r.id().equals("hello-node"))
                .extracting(PluginRecord::failureReason).containsExactly("node_unavailable");
    }

    @Test
    void shouldSkipARecordWhoseBundleIsGoneAndGiveDistinctUids() throws IOException {
        PluginManager first = start();
        PluginStore.deleteTree(new PluginStore(data(), JSON).codeDir("hello-python"));

        PluginManager second = startWithoutExamples();

        assertThat(second.list()).extracting(PluginSnapshot::id).containsExactly("hello-node");
        assertThat(first.list()).extracting(PluginSnapshot::uid).doesNotHaveDuplicates();
        assertThatThrownBy(() -> second.get("hello-python")).isInstanceOf(PluginNotFoundException.class);
    }

    @Test
    void shouldUninstallAnInstalledPluginAndItsFiles() {
        PluginManager manager = start();
        Path pluginDir = new PluginStore(data(), JSON).pluginDir("hello-node");
        assertThat(pluginDir).isDirectory();

        manager.uninstall("hello-node");

        assertThat(pluginDir).doesNotExist();
        assertThat(manager.list()).extracting(PluginSnapshot::id).containsExactly("hello-python");
        assertThatThrownBy(() -> manager.activate("hello-node")).isInstanceOf(PluginNotFoundException.class);
    }

    @Test
    void shouldUninstallAPluginWhoseDataIsDeeperThanAPathMayBeLong() throws IOException {
        PluginManager manager = start();
        PluginStore store = new PluginStore(data(), JSON);
        Path data = Files.createDirectories(store.dataDir("hello-node"));
        // two chains of 1 100 folders, one moved to the bottom of the other: no step names a path near PATH_MAX
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path lower = Files.createDirectories(dir.resolve("lower"));
        Files.writeString(Files.createDirectories(lower.resolve("e/".repeat(1_100))).resolve("f"), "x");
        Files.move(lower, Files.createDirectories(upper.resolve("d/".repeat(1_100))).resolve("lower"));
        Files.move(upper, data.resolve("tree"));
        assertThat((data + "/tree/" + "d/".repeat(1_100) + "lower/" + "e/".repeat(1_100)).length())
                .as("the deepest folder's path").isGreaterThan(4096);

        manager.uninstall("hello-node");

        assertThat(store.pluginDir("hello-node")).doesNotExist();
        assertThat(retiredFolders()).isEmpty();
        assertThat(manager.installFolder(examples.resolve("hello-node")).state()).isEqualTo(PluginState.INSTALLED);
    }

    @Test
    void shouldFreeThePluginWhenItsFilesCannotBeDeletedAndRetryAtTheNextUninstall() throws Exception {
        PluginManager manager = start();
        PluginStore store = new PluginStore(data(), JSON);
        Path stuck = Files.writeString(Files.createDirectories(store.dataDir("hello-node")).resolve("stuck"), "x");
        assumeTrue(new ProcessBuilder("chattr", "+i", stuck.toString()).start().waitFor() == 0,
                "needs chattr and CAP_LINUX_IMMUTABLE to make a file the host cannot delete");
        try {
            manager.uninstall("hello-node");

            assertThat(manager.list()).extracting(PluginSnapshot::id).containsExactly("hello-python");
            assertThat(retiredFolders()).as("what could not be deleted waits under a hidden name").hasSize(1);
            assertThat(manager.installFolder(examples.resolve("hello-node")).state()).isEqualTo(PluginState.INSTALLED);
        } finally {
            try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
                for (Path f : files.filter(f -> f.getFileName().toString().equals("stuck")).toList()) {
                    new ProcessBuilder("chattr", "-i", f.toString()).start().waitFor();
                }
            }
        }
        manager.uninstall("hello-node");
        assertThat(retiredFolders()).as("purged at the next uninstall").isEmpty();
    }

    private List<Path> retiredFolders() throws IOException {
        try (Stream<Path> files = Files.list(new DataFolder(config(Map.of())).pluginsRoot())) {
            return files.filter(f -> f.getFileName().toString().startsWith(PluginStore.RETIRED_PREFIX)).toList();
        }
    }

    private PluginManager start() {
        return start(Map.of("logomesh.plugins-dir", examples.toString()));
    }

    private PluginManager startWithoutExamples() {
        return start(Map.of("logomesh.plugins-dir", dir.resolve("none").toString()));
    }

    private PluginManager start(Map<String, String> extra) {
        return start(extra, data -> new PluginStore(data, JSON));
    }

    private PluginManager start(Map<String, String> extra, java.util.function.Function<DataFolder, PluginStore> stores) {
        HostConfig config = config(extra);
        DataFolder data = new DataFolder(config);
        PluginStore store = stores.apply(data);
        ContainerSpecs specs = new ContainerSpecs(config, data, store, PermissionAuthority::declares);
        io.logomesh.host.settings.OperatorConfigs configs = new io.logomesh.host.settings.OperatorConfigs(data, JSON);
        io.logomesh.host.settings.SecretStore secrets = new io.logomesh.host.settings.SecretStore(data,
                new io.logomesh.host.settings.SecretKeyFile(data), JSON);
        PluginManager manager = new PluginManager(store, new SessionLauncher(engine, specs, data, config, JSON,
                new CellPool(engine, specs, data, config, JSON, new SimpleMeterRegistry()), NO_UPDATES, store,
                configs, secrets, new LastOutput(NO_LOGS, data, config), placed -> { }),
                engine, specs, config, data, new BundleExtractor(), new BundleLoader(), recorder(),
                new HostCalls(List.<HostCallHandler>of()),
                new HostVersions(HostVersions.API_VERSION, "1.0.0"), configs, noEvents(), noEvents(),
                new RestartScheduler(), ignored(), noEvents());
        manager.onStart(null);
        return manager;
    }

    private DataFolder data() {
        return new DataFolder(config(Map.of()));
    }

    private HostConfig config(Map<String, String> extra) {
        return TestDataFolders.config(dir.resolve("data"), extra);
    }

    @SuppressWarnings("unchecked")
    private static Event<PluginRestartEvent> ignored() {
        return (Event<PluginRestartEvent>) Proxy.newProxyInstance(PluginManagerTest.class.getClassLoader(),
                new Class<?>[]{Event.class}, (proxy, method, args) -> null);
    }

    @SuppressWarnings("unchecked")
    private Event<PluginStateEvent> recorder() {
        return (Event<PluginStateEvent>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Event.class}, (proxy, method, args) -> {
                    if (method.getName().equals("fire")) {
                        events.add((PluginStateEvent) args[0]);
                    }
                    return null;
                });
    }

    @SuppressWarnings("unchecked")
    private static <T> Event<T> noEvents() {
        return (Event<T>) Proxy.newProxyInstance(PluginManagerTest.class.getClassLoader(),
                new Class<?>[]{Event.class}, (proxy, method, args) -> null);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    // ---- changed folders at start-up (issue 19) ----

    private static void rewriteVersion(Path folder, String version) throws IOException {
        ObjectNode manifest = (ObjectNode) JSON.readTree(folder.resolve("manifest.json").toFile());
        manifest.put("version", version);
        Files.write(folder.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
    }

    private String installedVersion(PluginManager manager) {
        return manager.get("hello-node").manifest().version().toString();
    }

    @Test
    void shouldUpgradeAChangedFolderAtStartButNeverDowngradeAndOnlyReportWhenToldTo() throws IOException {
        Path folder = examples.resolve("hello-node");
        PluginStore store = new PluginStore(data(), JSON);
        assertThat(installedVersion(start())).isEqualTo("1.0.0");

        rewriteVersion(folder, "1.1.0");
        Files.writeString(folder.resolve("extra.txt"), "changed");
        assertThat(installedVersion(start())).as("upgraded in place").isEqualTo("1.1.0");
        assertThat(store.codeDir("hello-node").resolve("extra.txt")).exists();
        assertThat(store.previousCodeDir("hello-node").resolve("extra.txt")).doesNotExist();
        assertThat(installedVersion(start())).as("an equal folder changes nothing").isEqualTo("1.1.0");
        assertThat(store.previousCodeDir("hello-node").resolve("manifest.json")).exists();

        rewriteVersion(folder, "1.2.0");
        PluginManager reporting = start(Map.of("logomesh.plugins-dir", examples.toString(),
                "logomesh.plugins.on-change", "report"));
        assertThat(installedVersion(reporting)).isEqualTo("1.1.0");

        rewriteVersion(folder, "1.0.5");
        assertThat(installedVersion(start())).as("an older folder is only reported").isEqualTo("1.1.0");
    }

    @Test
    void shouldPutTheCodeFoldersBackAfterACrashHalfWayThroughAnUpgrade() throws IOException {
        start();
        PluginStore store = new PluginStore(data(), JSON);
        Files.createDirectories(store.nextCodeDir("hello-node"));
        Files.move(store.codeDir("hello-node"), store.previousCodeDir("hello-node"));

        PluginManager manager = start();

        assertThat(installedVersion(manager)).isEqualTo("1.0.0");
        assertThat(store.codeDir("hello-node").resolve("manifest.json")).exists();
        assertThat(store.nextCodeDir("hello-node")).doesNotExist();
    }

    private static void rewriteId(Path folder, String id) throws IOException {
        ObjectNode manifest = (ObjectNode) JSON.readTree(folder.resolve("manifest.json").toFile());
        manifest.put("id", id);
        Files.write(folder.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
    }

    private static final ContainerResources NO_UPDATES = new ContainerResources() {
        @Override
        public void update(String containerId, long memoryBytes, double cpuPercent) {
        }

        @Override
        public void applyLive(String containerId, long memoryBytes, double cpuPercent, long pidsLimit,
                              java.util.concurrent.Executor engineTold) {
        }
    };

    /** An engine that has every image and starts no container. */
    private static final class RefusingEngine implements ContainerFactory {
        int leftoverSweeps;
        /** What each start throws (a launch refusal unless a test says otherwise). */
        volatile java.util.function.Supplier<RuntimeException> refusal =
                () -> new ContainerLaunchException("this test engine starts nothing");
        final java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public PluginContainer start(ContainerSpec spec) {
            starts.incrementAndGet();
            throw refusal.get();
        }

        @Override
        public PluginContainer startCell(ContainerSpec spec, String pool) {
            throw new ContainerLaunchException("this test engine starts nothing");
        }

        @Override
        public int removeLeftovers(Set<String> keep) {
            leftoverSweeps++;
            return 0;
        }

        @Override
        public boolean imageExists(String image) {
            return true;
        }
    }
}
