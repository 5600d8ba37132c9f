package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.ContainerLogs;
import io.logomesh.host.container.ContainerPlacement;
import io.logomesh.host.container.ContainerResources;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.ipc.FrameDecoder;
import io.logomesh.host.ipc.PluginEndpoint;
import io.logomesh.host.manifest.BundleExtractor;
import io.logomesh.host.manifest.BundleLoader;
import io.logomesh.host.manifest.PermissionAuthority;
import io.logomesh.host.plugin.restart.PluginRestartEvent;
import io.logomesh.host.plugin.restart.RestartScheduler;
import io.logomesh.host.prewarm.CellPool;
import io.logomesh.host.settings.OperatorConfigs;
import io.logomesh.host.settings.SecretKeyFile;
import io.logomesh.host.settings.SecretStore;
import io.logomesh.host.support.TestDataFolders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.event.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cluster mode, a plugin whose node is lost (docs/cluster.md): started again on the connection of the task the swarm
 * placed on another node, its service kept; a container that ended on a live node, or a task that never connects,
 * takes the restart policy's path (a new service). The narrow container API is replaced: a swarm-like container
 * whose placement the test sets, and fake runtimes that connect to the plugin's endpoint as the relay does.
 */
@Timeout(60)
class PluginMoveTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final ContainerLogs NO_LOGS = new ContainerLogs() {
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
    private static final ContainerResources NO_UPDATES = new ContainerResources() {
        @Override
        public void update(String containerId, long memoryBytes, double cpuPercent) {
        }

        @Override
        public void applyLive(String containerId, long memoryBytes, double cpuPercent, long pidsLimit,
                              java.util.concurrent.Executor engineTold) {
        }
    };

    @TempDir
    Path dir;

    private final SwarmLikeEngine engine = new SwarmLikeEngine();
    private final List<PluginMovedEvent> moves = new CopyOnWriteArrayList<>();
    private final List<PluginRestartEvent> restarts = new CopyOnWriteArrayList<>();
    private PluginManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.onStop(null);
        }
        engine.runtimes.forEach(FakeRuntime::close);
    }

    @Test
    void shouldStartAPluginWhoseNodeWasLostOnItsMovedTasksConnectionKeepingItsService() throws Exception {
        PluginHandle handle = activated("5s");
        SwarmLikeContainer service = engine.containers.getFirst();
        service.lost = true; // the node's agent link is gone; the swarm places the task on node-b

        engine.runtimes.getFirst().close(); // its relayed connection ends
        await(() -> handle.state() == PluginState.STARTING, "STARTING while it waits");
        assertThatThrownBy(handle::requireAcceptingActions).isInstanceOf(PluginRestartingException.class);

        service.runsOn = "node-b";
        FakeRuntime moved = FakeRuntime.connect(service.socket); // the new task's runtime, through node-b's agent
        engine.runtimes.add(moved);
        await(() -> handle.state() == PluginState.ACTIVE, "ACTIVE again");

        assertThat(engine.containers).as("no new service").hasSize(1);
        assertThat(service.removed).isFalse();
        assertThat(handle.snapshot().containerId()).isEqualTo(service.id());
        assertThat(moved.methods).as("the fresh runtime got the start's handshake")
                .containsSubsequence("initialize", "activate");
        assertThat(moves).singleElement().satisfies(m -> {
            assertThat(m.fromNode()).isEqualTo("node-a");
            assertThat(m.toNode()).isEqualTo("node-b");
        });
        assertThat(restarts).as("a move is not a restart").isEmpty();
        assertThat(handle.snapshot().restart().count()).isZero();
        assertThat(service.placement().orElseThrow().ranOn()).isEqualTo("node-b");
    }

    @Test
    void shouldRestartAsNewAPluginWhoseContainerEndedOnANodeThatIsStillThere() throws Exception {
        PluginHandle handle = activated("5s");
        SwarmLikeContainer service = engine.containers.getFirst();
        service.ended = true; // the node's engine reported the container's exit

        engine.runtimes.getFirst().close();
        engine.runtimes.add(FakeRuntime.connect(service.socket)); // the swarm's own restart of the task: not taken up
        await(() -> engine.containers.size() == 2 && handle.state() == PluginState.ACTIVE, "restarted as a new service");

        assertThat(service.removed).isTrue();
        assertThat(moves).isEmpty();
        assertThat(restarts).anySatisfy(r -> assertThat(r.reason()).isEqualTo("exited:1"));
    }

    @Test
    void shouldRestartAsNewAPluginWhoseConnectionDroppedOnItsLiveNode() throws Exception {
        PluginHandle handle = activated("5s");
        SwarmLikeContainer service = engine.containers.getFirst();

        engine.runtimes.getFirst().close(); // node-a is still there: not a move, whatever connects next
        engine.runtimes.add(FakeRuntime.connect(service.socket)); // e.g. the plugin dialling its own socket again
        await(() -> engine.containers.size() == 2 && handle.state() == PluginState.ACTIVE, "restarted as a new service");

        assertThat(service.removed).isTrue();
        assertThat(moves).isEmpty();
        assertThat(restarts).isNotEmpty();
    }

    @Test
    void shouldFallBackToARestartWhenTheMovedTaskDoesNotConnectInTime() throws Exception {
        PluginHandle handle = activated("1s");
        SwarmLikeContainer service = engine.containers.getFirst();
        service.lost = true;

        long t0 = System.nanoTime();
        engine.runtimes.getFirst().close();
        await(() -> engine.containers.size() == 2 && handle.state() == PluginState.ACTIVE, "restarted as a new service");

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the wait, then the back-off")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(service.removed).as("the kept service goes before the restart").isTrue();
        assertThat(moves).isEmpty();
        assertThat(restarts).anySatisfy(r -> assertThat(r.reason()).isEqualTo("node_lost"));
    }

    @Test
    void shouldCutOffTheConnectionOfAPluginOnlyWhenItsOwnNodeIsLost() throws Exception {
        PluginHandle handle = activated("5s");
        SwarmLikeContainer service = engine.containers.getFirst();

        handle.onNodeLost("node-c");
        Thread.sleep(200);
        assertThat(handle.state()).isEqualTo(PluginState.ACTIVE);
        assertThat(engine.runtimes.getFirst().closedByHost()).isFalse();

        service.lost = true;
        handle.onNodeLost("node-a");
        await(() -> handle.state() == PluginState.STARTING, "waiting for the moved task");
        // the runtime's reader sees the end of its connection on a thread of its own
        await(() -> engine.runtimes.getFirst().closedByHost(), "its connection from the lost node cut off");
    }

    private PluginHandle activated(String reconnectTimeout) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        copy(Path.of("plugins/hello-node"), plugins.resolve("hello-node"));
        Map<String, String> values = new HashMap<>();
        values.put("logomesh.plugins-dir", plugins.toString());
        values.put("logomesh.cluster.reconnect-timeout", reconnectTimeout);
        values.put("logomesh.prewarm.nodejs.size", "0");
        values.put("logomesh.prewarm.python.size", "0");
        values.put("logomesh.prewarm.webassembly.size", "0");
        HostConfig config = TestDataFolders.config(dir.resolve("data"), values);
        DataFolder data = new DataFolder(config);
        PluginStore store = new PluginStore(data, JSON);
        ContainerSpecs specs = new ContainerSpecs(config, data, store, PermissionAuthority::declares);
        OperatorConfigs configs = new OperatorConfigs(data, JSON);
        SecretStore secrets = new SecretStore(data, new SecretKeyFile(data), JSON);
        manager = new PluginManager(store, new SessionLauncher(engine, specs, data, config, JSON,
                new CellPool(engine, specs, data, config, JSON, new SimpleMeterRegistry()), NO_UPDATES, store,
                configs, secrets, new LastOutput(NO_LOGS, data, config), placed -> { }),
                engine, specs, config, data, new BundleExtractor(), new BundleLoader(), noEvents(),
                new io.logomesh.host.plugin.HostCalls(List.<HostCallHandler>of()),
                new HostVersions(HostVersions.API_VERSION, "1.0.0"), configs, noEvents(), noEvents(),
                new RestartScheduler(), recording(restarts), recording(moves));
        manager.onStart(null);
        manager.activate("hello-node");
        PluginHandle handle = manager.get("hello-node");
        assertThat(handle.state()).isEqualTo(PluginState.ACTIVE);
        return handle;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Event<T> recording(List<T> into) {
        return (Event<T>) Proxy.newProxyInstance(PluginMoveTest.class.getClassLoader(), new Class<?>[]{Event.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("fire")) {
                        into.add((T) args[0]);
                    }
                    return null;
                });
    }

    @SuppressWarnings("unchecked")
    private static <T> Event<T> noEvents() {
        return (Event<T>) Proxy.newProxyInstance(PluginMoveTest.class.getClassLoader(), new Class<?>[]{Event.class},
                (proxy, method, args) -> null);
    }

    private static void copy(Path from, Path to) throws IOException {
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
    }

    /** Starts "services" whose runtime connects at once from node-a, as the relay would. */
    private static final class SwarmLikeEngine implements ContainerFactory {
        final List<SwarmLikeContainer> containers = new CopyOnWriteArrayList<>();
        final List<FakeRuntime> runtimes = new CopyOnWriteArrayList<>();

        @Override
        public PluginContainer start(ContainerSpec spec) {
            SwarmLikeContainer c = new SwarmLikeContainer("svc-" + (containers.size() + 1),
                    spec.ipcDir().resolve(PluginEndpoint.SOCKET_NAME));
            containers.add(c);
            try {
                runtimes.add(FakeRuntime.connect(c.socket));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return c;
        }

        @Override
        public PluginContainer startCell(ContainerSpec spec, String pool) {
            throw new UnsupportedOperationException("no cells");
        }

        @Override
        public int removeLeftovers(Set<String> keep) {
            return 0;
        }

        @Override
        public boolean imageExists(String image) {
            return true;
        }

        @Override
        public boolean remote() {
            return true;
        }
    }

    /** A service placed on node-a; the test says when that node is lost, where its task runs and whether it ended. */
    private static final class SwarmLikeContainer implements PluginContainer {
        final String id;
        final Path socket;
        volatile String ranOn = "node-a";
        volatile String runsOn = "node-a";
        volatile boolean lost;
        volatile boolean ended;
        volatile boolean removed;

        SwarmLikeContainer(String id, Path socket) {
            this.id = id;
            this.socket = socket;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void stop(Duration grace) {
            removed = true;
        }

        @Override
        public void rename(String name) {
        }

        @Override
        public void remove() {
            removed = true;
        }

        @Override
        public Optional<ContainerExit> awaitExit(Duration timeout) {
            return Optional.of(ended ? new ContainerExit(false, 1, false) : new ContainerExit(true, 0, false));
        }

        @Override
        public Optional<ContainerPlacement> placement() {
            return Optional.of(new ContainerPlacement(ranOn, lost, ended, !removed, Optional.of(runsOn)));
        }

        @Override
        public Optional<String> resettle() {
            ranOn = runsOn;
            lost = false;
            return Optional.of(runsOn);
        }
    }

    /** A runtime that says ready, answers every request with null and records the methods it was asked. */
    private static final class FakeRuntime {
        final SocketChannel channel;
        final List<String> methods = new CopyOnWriteArrayList<>();
        private volatile boolean closedByUs;
        private volatile boolean eof;

        private FakeRuntime(SocketChannel channel) {
            this.channel = channel;
        }

        static FakeRuntime connect(Path socket) throws IOException {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            FakeRuntime runtime = new FakeRuntime(channel);
            runtime.send("{\"method\":\"ready\",\"params\":{\"runtime\":\"nodejs\",\"runtimeVersion\":\"22.1.0\","
                    + "\"protocol\":1}}");
            Thread.ofVirtual().start(runtime::readLoop);
            return runtime;
        }

        boolean closedByHost() {
            return eof && !closedByUs;
        }

        void close() {
            closedByUs = true;
            try {
                channel.close();
            } catch (IOException e) {
                // closed
            }
        }

        private synchronized void send(String json) throws IOException {
            byte[] payload = json.getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        }

        private void readLoop() {
            FrameDecoder decoder = new FrameDecoder(1 << 20);
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            try {
                while (channel.read(buffer.clear()) >= 0) {
                    decoder.feed(buffer.flip(), payload -> {
                        try {
                            JsonNode frame = JSON.readTree(payload);
                            if (frame.has("method")) {
                                methods.add(frame.get("method").asText());
                            }
                            if (frame.has("id") && frame.has("method")) {
                                send("{\"id\":" + frame.get("id").asLong() + ",\"result\":null}");
                            }
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            } catch (IOException | RuntimeException e) {
                // closed
            }
            eof = true;
        }
    }
}
