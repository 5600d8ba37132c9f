package io.logomesh.host.plugin;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.prewarm.CellPool;
import io.logomesh.host.prewarm.PrewarmProfile;
import io.logomesh.host.support.Docker;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;

/** Prewarmed cells against the real engine: the same lockdown as a cold container, single use, the reaper. */
@QuarkusTest
@TestProfile(PrewarmProfile.class)
@WithTestResource(HostTestResource.class)
class PrewarmedContainerTest {

    @Inject
    PluginManager plugins;
    @Inject
    ContainerSpecs specs;
    @Inject
    ContainerFactory factory;
    @Inject
    CellPool cells;

    private static void awaitReady(CellPool cells, String runtime) throws InterruptedException {
        for (int i = 0; i < 300 && cells.status().get(runtime).ready() < 1; i++) {
            Thread.sleep(100);
        }
        assertThat(cells.status().get(runtime).ready()).as("a ready %s cell", runtime).isEqualTo(1);
    }

    @Test
    void shouldGiveAPrewarmedPluginTheSameLockdownAsAColdOneOfTheSameManifest() throws Exception {
        for (String runtime : List.of("python", "node", "wasm")) {
            String wire = runtime.equals("node") ? "nodejs" : runtime.equals("wasm") ? "webassembly" : runtime;
            awaitReady(cells, wire);
            String warmId = "pw-warm-" + runtime;
            String coldId = "pw-cold-" + runtime;
            uninstallQuietly(warmId);
            uninstallQuietly(coldId);
            installAndActivate(TestBundle.fixture("echo-" + runtime, warmId));
            String warmContainer = get(warmId).extract().path("containerId");
            long memory = plugins.find(warmId).orElseThrow().manifest().resources().maxMemoryMB() * 1024L * 1024L;
            // in force in the kernel once ACTIVE was answered; the engine's record follows (see awaitEngineRecord)
            assertThat(Docker.cgroupV1("memory", warmContainer, "memory.limit_in_bytes")).isEqualTo(memory);
            assertThat(Docker.cgroupV1("memory", warmContainer, "memory.memsw.limit_in_bytes")).isEqualTo(memory);
            InspectContainerResponse warm = awaitEngineRecord(warmContainer, warmId, memory);
            assertThat(warm.getConfig().getLabels()).containsEntry("io.logomesh.pool", wire)
                    .doesNotContainKey("io.logomesh.plugin");
            assertThat(warm.getName()).isEqualTo("/logomesh-" + warmId);

            install(TestBundle.fixture("echo-" + runtime, coldId).tarGz()).statusCode(201);
            PluginHandle cold = plugins.find(coldId).orElseThrow();
            PluginContainer started = factory.start(specs.forPlugin(cold.manifest(), cold.snapshot().uid()));
            try {
                InspectContainerResponse c = Docker.inspect(started.id());
                assertSameLockdown(warm, c, coldId, cold.manifest().resources().maxMemoryMB() * 1024L * 1024L);
            } finally {
                started.remove();
                uninstallQuietly(coldId);
                uninstallQuietly(warmId);
            }
        }
    }

    @Test
    void shouldAnswerPingFromEveryRuntimesCellWithNullBeforeAndAfterNothingElse() throws Exception {
        for (var runtime : io.logomesh.host.manifest.PluginManifest.Runtime.values()) {
            awaitReady(cells, runtime.wireName());
            var cell = cells.take(runtime).orElseThrow();
            try {
                var answer = cell.channel().request("ping", new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode()).get(5, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(answer.isNull()).as("%s answers ping with null: %s", runtime, answer).isTrue();
                // a cell is still waiting for load: ping changed nothing, initialize is refused as before
                var refused = cell.channel().request("initialize", new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode().put("pluginId", "x"));
                var failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                        java.util.concurrent.ExecutionException.class, () -> refused.get(5, java.util.concurrent.TimeUnit.SECONDS));
                assertThat(failure).as("%s refuses initialize before load", runtime).isNotNull();
                assertThat(((io.logomesh.host.ipc.PluginCallException) failure.getCause()).code()).isEqualTo("not_loaded");
            } finally {
                cell.destroy();
                cells.refill(runtime);
            }
        }
    }

    /** The cell's rename and the engine's copy of its new limits are made in the background: wait (≤ 5 s) for them. */
    private static InspectContainerResponse awaitEngineRecord(String containerId, String pluginId, long memory)
            throws InterruptedException {
        InspectContainerResponse seen = Docker.inspect(containerId);
        for (int i = 0; i < 100 && !(seen.getName().equals("/logomesh-" + pluginId)
                && Long.valueOf(memory).equals(seen.getHostConfig().getMemory())); i++) {
            Thread.sleep(50);
            seen = Docker.inspect(containerId);
        }
        return seen;
    }

    private static void assertSameLockdown(InspectContainerResponse warm, InspectContainerResponse cold,
                                           String coldId, long memoryBytes) {
        HostConfig w = warm.getHostConfig();
        HostConfig c = cold.getHostConfig();
        assertThat(warm.getConfig().getUser()).matches("[1-9][0-9]*:[1-9][0-9]*");
        assertThat(cold.getConfig().getUser()).matches("[1-9][0-9]*:[1-9][0-9]*");
        assertThat(w.getCapDrop()).isEqualTo(c.getCapDrop());
        assertThat(w.getCapAdd()).isEqualTo(c.getCapAdd());
        assertThat(w.getSecurityOpts()).isEqualTo(c.getSecurityOpts());
        assertThat(w.getPrivileged()).isEqualTo(c.getPrivileged()).isFalse();
        assertThat(w.getReadonlyRootfs()).isEqualTo(c.getReadonlyRootfs()).isTrue();
        assertThat(w.getTmpFs()).isEqualTo(c.getTmpFs());
        assertThat(w.getNetworkMode()).isEqualTo(c.getNetworkMode()).isEqualTo("none");
        assertThat(w.getMemory()).isEqualTo(c.getMemory()).isEqualTo(memoryBytes);
        assertThat(w.getMemorySwap()).isEqualTo(c.getMemorySwap()).isEqualTo(w.getMemory());
        assertThat(w.getNanoCPUs()).isEqualTo(c.getNanoCPUs());
        assertThat(w.getPidsLimit()).isEqualTo(c.getPidsLimit());
        assertThat(Arrays.toString(w.getUlimits())).isEqualTo(Arrays.toString(c.getUlimits()));
        assertThat(w.getIpcMode()).isEqualTo(c.getIpcMode());
        assertThat(w.getShmSize()).isEqualTo(c.getShmSize());
        assertThat(w.getOomScoreAdj()).isEqualTo(c.getOomScoreAdj());
        assertThat(w.getLogConfig().getType()).isEqualTo(c.getLogConfig().getType());
        assertThat(w.getLogConfig().getConfig()).isEqualTo(c.getLogConfig().getConfig());
        assertThat(warm.getConfig().getWorkingDir()).isEqualTo(cold.getConfig().getWorkingDir());
        // mounts: the same destinations, modes and kinds; only the host source differs, each the container's own
        List<InspectContainerResponse.Mount> wm = sorted(warm.getMounts());
        List<InspectContainerResponse.Mount> cm = sorted(cold.getMounts());
        assertThat(wm).hasSameSizeAs(cm);
        for (int i = 0; i < wm.size(); i++) {
            assertThat(wm.get(i).getDestination().getPath()).isEqualTo(cm.get(i).getDestination().getPath());
            assertThat(wm.get(i).getRW()).isEqualTo(cm.get(i).getRW()).isFalse();
            assertThat(wm.get(i).getMode()).isEqualTo(cm.get(i).getMode());
            assertThat(wm.get(i).getSource()).isNotEqualTo(cm.get(i).getSource());
            assertThat(wm.get(i).getSource()).contains("/cells/cell-");
            assertThat(cm.get(i).getSource()).contains(coldId);
        }
        assertThat(warm.getConfig().getEnv()).noneMatch(e -> e.startsWith("LOGOMESH_PLUGIN_ID="));
        assertThat(cold.getConfig().getEnv()).contains("LOGOMESH_PLUGIN_ID=" + coldId);
    }

    private static List<InspectContainerResponse.Mount> sorted(List<InspectContainerResponse.Mount> mounts) {
        return mounts.stream().sorted(Comparator.comparing(m -> m.getDestination().getPath())).toList();
    }

    @Test
    void shouldNeverGiveACellToASecondPlugin() throws Exception {
        awaitReady(cells, "python");
        String id = "pw-single";
        uninstallQuietly(id);
        installAndActivate(TestBundle.fixture("echo-python", id));
        String first = get(id).extract().path("containerId");
        action(id, "{\"type\":\"echo\",\"payload\":{\"n\":1}}").statusCode(200);
        deactivate(id).statusCode(200);
        assertThat(Docker.client().listContainersCmd().withShowAll(true).exec())
                .noneMatch(c -> c.getId().equals(first));
        awaitReady(cells, "python");
        plugins.find(id).orElseThrow().activate(() -> { }, new Object());
        String second = get(id).extract().path("containerId");
        assertThat(second).isNotEqualTo(first);
        uninstallQuietly(id);
    }

    @Test
    void shouldDestroyACellThatFailsToLoadAndEndAsTheColdPathDoes() throws Exception {
        awaitReady(cells, "python");
        String cell = Docker.client().listContainersCmd().withLabelFilter(Map.of("io.logomesh.pool", "python")).exec()
                .stream().filter(c -> c.getNames()[0].startsWith("/logomesh-cell-")).findFirst().orElseThrow().getId();
        double failuresBefore = loadFailures();
        double coldBefore = coldStarts("load_failed");
        String id = "pw-bad-load";
        uninstallQuietly(id);
        // 1 MiB: docker update refuses it (the engine's floor is 6 MiB); the cold path then fails in its own way
        install(TestBundle.fixture("echo-python", id).manifest(m -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                m.get("resourceRequirements")).put("maxMemoryMB", 1)).tarGz()).statusCode(201);
        io.logomesh.host.support.Api.activate(id);
        assertThat(get(id).extract().<String>path("state")).isEqualTo("FAILED");
        assertThat(loadFailures()).as("the cell failed to take it").isEqualTo(failuresBefore + 1);
        assertThat(coldStarts("load_failed")).as("then the cold path ran").isEqualTo(coldBefore + 1);
        for (int i = 0; i < 100 && Docker.client().listContainersCmd().withShowAll(true).exec().stream()
                .anyMatch(c -> c.getId().equals(cell)); i++) {
            Thread.sleep(100);
        }
        assertThat(Docker.client().listContainersCmd().withShowAll(true).exec()).noneMatch(c -> c.getId().equals(cell));
        awaitReady(cells, "python"); // refilled
        uninstallQuietly(id);
    }

    /**
     * The host sends {@code initialize} and {@code activate} together (and, in a cell, right behind {@code load}):
     * the runtime must run them in order and, once {@code initialize} failed, never run the plugin's
     * {@code activate}. Each fixture's initialize prints a marker, waits 50 ms (activate is queued by then) and
     * throws; its activate prints another marker.
     */
    @Test
    void shouldNeverRunActivateAfterInitializeFailedWhenBothAreSentAtOnce() throws Exception {
        for (String[] fixture : new String[][]{{"init-fails-node", "nodejs"}, {"init-fails-python", "python"}}) {
            awaitReady(cells, fixture[1]);
            String id = "pw-" + fixture[0];
            uninstallQuietly(id);
            install(TestBundle.fixture(fixture[0], id).tarGz()).statusCode(201);
            io.logomesh.host.support.Api.activate(id);
            var plugin = get(id);
            assertThat(plugin.extract().<String>path("state")).isEqualTo("FAILED");
            assertThat(plugin.extract().<String>path("failureReason")).as(fixture[0]).contains("init boom");
            String output = io.logomesh.host.support.Api.api().get("/api/v1/plugins/{id}/logs", id).then()
                    .statusCode(200).extract().asString();
            assertThat(output).as(fixture[0] + " kept output").contains("INITIALIZE-RAN").doesNotContain("ACTIVATE-RAN");
            uninstallQuietly(id);
        }
    }

    /**
     * A Python cell starts its egress forwarder (127.0.0.1:3128) when it boots, ahead of knowing its plugin's
     * level; a plugin at {@code minimal} holds no network and, cold, has no forwarder, so its cell closes it at
     * {@code load}. A plugin at {@code standard} keeps it (the same check, seeing it listen).
     */
    @Test
    void shouldCloseAPythonCellsEgressForwarderWhenItsPluginIsMinimal() throws Exception {
        for (String level : new String[]{"minimal", "standard"}) {
            awaitReady(cells, "python");
            String id = "pw-forwarder-" + level;
            uninstallQuietly(id);
            installAndActivate(TestBundle.fixture("concurrency-python", id)
                    .manifest(m -> m.put("securityLevel", level).putArray("permissions")));
            String container = get(id).extract().path("containerId");
            assertThat(Docker.client().inspectContainerCmd(container).exec().getConfig().getLabels())
                    .as("it runs in a cell").containsKey("io.logomesh.pool");
            long pid = Docker.client().inspectContainerCmd(container).exec().getState().getPidLong();
            boolean listening = forwarderListens(pid);
            for (int i = 0; i < 40 && listening && level.equals("minimal"); i++) { // closed on the cell's own loop
                Thread.sleep(50);
                listening = forwarderListens(pid);
            }
            assertThat(listening).as("forwarder listening for a %s plugin", level).isEqualTo(!level.equals("minimal"));
            uninstallQuietly(id);
        }
    }

    /** Whether 127.0.0.1:3128 listens in the network namespace of process {@code pid} (state 0A: LISTEN). */
    private static boolean forwarderListens(long pid) throws java.io.IOException {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/net/tcp")).stream()
                .map(String::trim).anyMatch(l -> l.matches("\\d+: 0100007F:0C38 00000000:0000 0A .*"));
    }

    @Test
    void shouldNeverHoldMoreCellsThanConfiguredWhileRefilling() throws Exception {
        awaitReady(cells, "python");
        List<String> ids = List.of("pw-burst-1", "pw-burst-2", "pw-burst-3");
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                CellPool.PoolStatus p = cells.status().get("python");
                if (p.ready() + p.starting() > p.size()) {
                    overfull = true;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        for (String id : ids) {
            uninstallQuietly(id);
            installAndActivate(TestBundle.fixture("echo-python", id));
        }
        awaitReady(cells, "python");
        watcher.interrupt();
        watcher.join();
        assertThat(overfull).as("ready + starting above the configured size").isFalse();
        ids.forEach(io.logomesh.host.support.Api::uninstallQuietly);
    }

    private volatile boolean overfull;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private double coldStarts(String reason) {
        var counter = registry.find("logomesh_prewarm_cold_starts_total").tags("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private double loadFailures() {
        var counter = registry.find("logomesh_prewarm_cell_failures_total").tags("runtime", "python", "stage", "load")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldReapCellsOfAnEarlierRunAndKeepAKnownPluginsCell() throws Exception {
        awaitReady(cells, "webassembly");
        String id = "pw-reap";
        uninstallQuietly(id);
        installAndActivate(TestBundle.fixture("echo-wasm", id));
        String taken = get(id).extract().path("containerId");
        awaitReady(cells, "webassembly");
        String idle = Docker.client().listContainersCmd().withLabelFilter(Map.of("io.logomesh.pool", "webassembly"))
                .exec().stream().filter(c -> c.getNames()[0].startsWith("/logomesh-cell-")).findFirst()
                .orElseThrow().getId();
        factory.removeLeftovers(java.util.Set.of(id));
        List<String> left = Docker.client().listContainersCmd().withShowAll(true).exec().stream()
                .map(com.github.dockerjava.api.model.Container::getId).toList();
        assertThat(left).contains(taken).doesNotContain(idle);
        uninstallQuietly(id);
    }
}
