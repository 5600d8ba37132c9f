package io.logomesh.host.container.docker.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.SwarmNode;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.ipc.IncomingHandler;
import io.logomesh.host.ipc.IpcLimits;
import io.logomesh.host.ipc.PluginChannel;
import io.logomesh.host.ipc.PluginEndpoint;
import io.logomesh.host.support.SwarmTestbed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin's service on a real three-engine swarm (deploy/swarm-testbed.sh: one drained manager, two workers,
 * each its own dockerd and network namespace on this machine): the lockdown a service spec on API 1.41 cannot
 * carry is closed by the workers' engine configuration, and shown from inside the plugin's container on the
 * worker that runs it; a node that lacks the image rejects the task visibly; a lost worker's plugin is
 * rescheduled to the other worker and connects there. This test stands where the node agent will (issue 16):
 * it makes each node's folders and listens on each node's plugin socket itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmTestbedIT {

    private static final Path SCRIPT = Path.of("deploy/swarm-testbed.sh").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UID = 20_901;
    private static final long MEMORY = 96L << 20;
    private static final long PIDS = 48;
    private static final long NOFILE = 256;
    private static final long TMPFS = 8L << 20;
    private static final Duration PLACED = Duration.ofSeconds(90);

    private static final String PROBE = String.join("\n",
            "import ctypes, errno, json, os, socket",
            "r = {}",
            "st = dict(l.split(':', 1) for l in open('/proc/1/status').read().splitlines() if ':' in l)",
            "for k in ('NoNewPrivs', 'Seccomp', 'CapEff', 'CapPrm', 'CapBnd'): r[k] = st[k].strip()",
            "r['uid'] = st['Uid'].split()[0]",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "r['ptrace'] = 'allowed' if libc.ptrace(16, 1, 0, 0) == 0 else errno.errorcode.get(ctypes.get_errno(), '?')",
            "try:",
            "    open('/probe-write', 'w'); r['rootWrite'] = 'allowed'",
            "except OSError as e: r['rootWrite'] = errno.errorcode.get(e.errno, '?')",
            "r['tmp'] = [l.split()[5] for l in open('/proc/self/mountinfo') if l.split()[4] == '/tmp']",
            "r['net'] = sorted(os.listdir('/sys/class/net'))",
            "s = socket.socket(); s.settimeout(2)",
            "try:",
            "    s.connect((os.environ.get('PROBE_ADDR', '10.252.0.1'), 9)); r['connect'] = 'connected'",
            "except OSError as e: r['connect'] = errno.errorcode.get(e.errno, str(e))",
            "def cg(p):",
            "    try: return open('/sys/fs/cgroup/' + p).read().strip()",
            "    except OSError as e: return 'missing'",
            "r['memory'] = cg('memory/memory.limit_in_bytes')",
            "r['memsw'] = cg('memory/memory.memsw.limit_in_bytes')",
            "r['pids'] = cg('pids/pids.max')",
            "r['cpuQuota'] = cg('cpu/cpu.cfs_quota_us')",
            "r['swapTotal'] = [l.split()[1] for l in open('/proc/meminfo') if l.startswith('SwapTotal:')][0]",
            "r['nofile'] = open('/proc/1/limits').read().split('Max open files')[1].split()[0:2]",
            "print(json.dumps(r))");

    /** Answers nothing a plugin asks: this test only needs the plugin to connect and say ready. */
    private static final IncomingHandler SILENT = new IncomingHandler() {
        @Override
        public java.util.concurrent.CompletionStage<JsonNode> onRequest(String pluginId, String method,
                                                                       com.fasterxml.jackson.databind.node.ObjectNode params) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("not served here"));
        }

        @Override
        public void onNotification(String pluginId, String method, com.fasterxml.jackson.databind.node.ObjectNode params) {
        }
    };

    private static Map<String, String> env;
    private static DockerClient manager;
    private static SwarmServices services;
    private static final Map<String, DockerClient> workers = new LinkedHashMap<>(); // node id → its engine
    private static final Map<String, String> workerNames = new HashMap<>(); // node id → worker1/worker2
    private static Path nodeRoot;
    private static NodeFolders folders;
    private static final List<String> created = new ArrayList<>();
    private static final List<PluginEndpoint> endpoints = new ArrayList<>();

    @BeforeAll
    static void upTheSwarm() throws Exception {
        SwarmTestbed.assumeRunnable();
        env = SwarmTestbed.up(null);
        manager = SwarmTestbed.client(env.get("MANAGER_HOST"));
        services = SwarmTestbed.services(manager);
        for (SwarmNode node : manager.listSwarmNodesCmd().exec()) {
            if (!"worker".equals(node.getSpec().getRole().name().toLowerCase())) {
                continue;
            }
            String name = node.getSpec().getLabels().get("logomesh.node");
            assertThat(name).as("the testbed labels its workers").isNotNull();
            workers.put(node.getId(), SwarmTestbed.client(env.get(name.toUpperCase() + "_HOST")));
            workerNames.put(node.getId(), name);
        }
        assertThat(workers).hasSize(2);
        nodeRoot = Files.createTempDirectory(Path.of("/tmp"), "lm-nodes-");
        folders = new NodeFolders(nodeRoot);
    }

    @AfterAll
    static void downTheSwarm() throws Exception {
        if (env == null) {
            return;
        }
        try {
            created.forEach(id -> {
                try {
                    services.remove(id);
                } catch (RuntimeException e) {
                    // the testbed's teardown removes it with its engines
                }
            });
            endpoints.forEach(PluginEndpoint::close);
        } finally {
            SwarmTestbed.down();
            SwarmTestbed.deleteTree(nodeRoot);
        }
    }

    @Test
    @Order(1)
    void shouldRunAPluginServiceOnAWorkerWithEveryPartOfTheLockdown() throws Exception {
        Map<String, PluginEndpoint> sockets = prepareOnEveryWorker("sw-lock");
        String service = create(spec("sw-lock"), imageId("logomesh-runtime-python:latest"));

        ServiceTask task = SwarmTestbed.await(() -> services.running(service), PLACED, "a running task");
        String node = task.nodeId().orElseThrow();
        assertThat(workers).as("placed on a worker, never the drained manager").containsKey(node);
        PluginChannel channel = sockets.get(node).awaitConnection(Duration.ofSeconds(30));
        channel.ready().get(30, TimeUnit.SECONDS);
        String containerId = task.containerId().orElseThrow();

        JsonNode seen = JSON.readTree(exec(workerNames.get(node), containerId, "python3", "-I", "-c", PROBE));
        assertThat(seen.path("NoNewPrivs").asText()).as("no-new-privileges (worker engine)").isEqualTo("1");
        assertThat(seen.path("Seccomp").asText()).as("a seccomp filter (worker engine's profile)").isEqualTo("2");
        assertThat(seen.path("CapEff").asText()).isEqualTo("0000000000000000");
        assertThat(seen.path("CapPrm").asText()).isEqualTo("0000000000000000");
        assertThat(seen.path("CapBnd").asText()).as("CapabilityDrop ALL (spec)").isEqualTo("0000000000000000");
        assertThat(seen.path("uid").asText()).isEqualTo(Integer.toString(UID));
        assertThat(seen.path("ptrace").asText()).isEqualTo("EPERM");
        assertThat(seen.path("rootWrite").asText()).as("read-only root").isEqualTo("EROFS");
        assertThat(seen.path("tmp").get(0).asText()).contains("noexec").contains("nosuid").contains("nodev");
        assertThat(seen.path("net").toString()).as("no network attached: only lo").isEqualTo("[\"lo\"]");
        assertThat(seen.path("connect").asText()).as("cannot reach the test bridge").isIn("ENETUNREACH", "EHOSTUNREACH");
        assertThat(seen.path("memory").asLong()).isEqualTo(MEMORY);
        assertThat(seen.path("swapTotal").asText()).as("the node has no swap: memory+swap = memory")
                .isEqualTo("0");
        assertThat(seen.path("pids").asText()).isEqualTo(Long.toString(PIDS));
        assertThat(seen.path("cpuQuota").asLong()).as("50 % of a core per 100 ms").isEqualTo(50_000);
        assertThat(seen.path("nofile").toString()).isEqualTo("[\"" + NOFILE + "\",\"" + NOFILE + "\"]");

        InspectContainerResponse inspect = workers.get(node).inspectContainerCmd(containerId).exec();
        HostConfig hc = inspect.getHostConfig();
        assertThat(inspect.getConfig().getUser()).isEqualTo(UID + ":" + UID);
        assertThat(hc.getReadonlyRootfs()).isTrue();
        assertThat(hc.getCapDrop()).extracting(Enum::name).containsExactly("ALL");
        assertThat(hc.getPrivileged()).isFalse();
        assertThat(hc.getIpcMode()).as("private IPC namespace (worker engine)").isEqualTo("private");
        assertThat(hc.getMemory()).isEqualTo(MEMORY);
        assertThat(hc.getPidsLimit()).isEqualTo(PIDS);
        assertThat(hc.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(hc.getLogConfig().getType().getType()).isEqualTo("json-file");
        assertThat(hc.getLogConfig().getConfig()).containsEntry("max-size", "1m").containsEntry("max-file", "2");
        assertThat(hc.getShmSize()).as("/dev/shm bounded (worker engine)").isLessThanOrEqualTo(16L << 20);
        assertThat(inspect.getMounts()).extracting(m -> m.getDestination().getPath() + (m.getRW() ? " rw" : " ro"))
                .containsExactlyInAnyOrder("/plugin ro", "/run/logomesh ro", "/tmp rw");
        assertThat(inspect.getMounts()).filteredOn(m -> !m.getDestination().getPath().equals("/tmp"))
                .extracting(m -> m.getSource())
                .allMatch(s -> s.startsWith(folders.onNode(node, PluginSlot.first("sw-lock")).toString()),
                        "only its own folders on its node");
    }

    @Test
    @Order(2)
    void shouldRejectVisiblyATaskWhoseImageNoNodeHas() throws IOException {
        prepareOnEveryWorker("sw-noimage"); // its folders exist, so the image is the one thing a node lacks
        String service = create(spec("sw-noimage"), "sha256:" + "0".repeat(64));

        ServiceTask task = SwarmTestbed.await(() -> services.tasks(service).stream()
                .filter(t -> t.state().equals("rejected") || t.state().equals("failed")).findFirst(),
                PLACED, "a rejected task");
        assertThat(task.error()).as("the node says why").isPresent();
        assertThat(task.error().get()).containsIgnoringCase("image");
        services.remove(service);
        created.remove(service);
    }

    @Test
    @Order(3)
    void shouldRescheduleALostWorkersPluginToTheOtherWorkerWhereItConnectsAgain() throws Exception {
        Map<String, PluginEndpoint> sockets = prepareOnEveryWorker("sw-move");
        String service = create(spec("sw-move"), imageId("logomesh-runtime-python:latest"));
        ServiceTask first = SwarmTestbed.await(() -> services.running(service), PLACED, "a running task");
        String lost = first.nodeId().orElseThrow();
        sockets.get(lost).awaitConnection(Duration.ofSeconds(30)).ready().get(30, TimeUnit.SECONDS);

        long before = System.nanoTime();
        SwarmTestbed.cut(workerNames.get(lost));
        ServiceTask moved = SwarmTestbed.await(() -> services.running(service).filter(t -> !t.nodeId().orElse("").equals(lost)),
                PLACED, "a running task on the other worker");
        String other = moved.nodeId().orElseThrow();
        PluginChannel again = sockets.get(other).awaitConnection(Duration.ofSeconds(30));
        again.ready().get(30, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - before) / 1_000_000;
        System.out.printf("SWARM-RESCHEDULE %s -> %s: %d ms from the link cut to the plugin's ready%n",
                workerNames.get(lost), workerNames.get(other), tookMs);
        assertThat(other).isNotEqualTo(lost);
    }

    private static ContainerSpec spec(String id) {
        Map<String, String> env = Map.of("LOGOMESH_CELL", "1",
                "LOGOMESH_SOCKET", ContainerSpec.IPC_MOUNT + "/" + PluginEndpoint.SOCKET_NAME,
                "LOGOMESH_MAX_FRAME", Integer.toString(1 << 20));
        return new ContainerSpec(id, "unused", UID, Path.of("/unused"), Path.of("/unused"), Optional.empty(), env,
                MEMORY, 50, PIDS, NOFILE, TMPFS, "1m", 2);
    }

    private static String create(ContainerSpec spec, String image) {
        String id = services.create(SwarmServiceSpec.of(spec, image, folders, "swarm-it", Optional.empty()));
        created.add(id);
        return id;
    }

    /** What the node agent will do on each node: the plugin's folders and a socket for it there. */
    private static Map<String, PluginEndpoint> prepareOnEveryWorker(String pluginId) throws IOException {
        Map<String, PluginEndpoint> sockets = new HashMap<>();
        for (String node : workers.keySet()) {
            Path dir = folders.onNode(node, PluginSlot.first(pluginId));
            Files.createDirectories(dir.resolve("code"));
            PluginEndpoint endpoint = PluginEndpoint.open(pluginId, dir.resolve("ipc"), UID,
                    IpcLimits.withFrameCap(1 << 20), SILENT, JSON);
            endpoints.add(endpoint);
            sockets.put(node, endpoint);
        }
        return sockets;
    }

    private static String imageId(String image) {
        return workers.values().iterator().next().inspectImageCmd(image).exec().getId(); // the testbed loads them by id
    }

    private static String exec(String worker, String containerId, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("docker", "-H", env.get(worker.toUpperCase() + "_HOST"), "exec",
                containerId));
        args.addAll(List.of(command));
        return SwarmTestbed.run(Map.of(), args.toArray(String[]::new));
    }
}
