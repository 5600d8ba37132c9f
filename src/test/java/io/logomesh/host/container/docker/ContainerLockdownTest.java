package io.logomesh.host.container.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.ProbeListener;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.logomesh.host.support.Docker.bridgeGateway;
import static io.logomesh.host.support.Docker.inspect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Every setting of the container contract, read back from the engine with
 * {@code docker inspect}, and what a plugin inside actually can and cannot do.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerLockdownTest {

    @Inject
    DataFolder dataFolder;

    private ProbeListener listener;

    @BeforeAll
    void listenOnTheHost() {
        listener = ProbeListener.open();
    }

    @AfterAll
    void close() throws IOException {
        listener.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldStartContainerWithEveryLockdownSetting(String fixture) throws IOException {
        String id = installAndActivate(TestBundle.fixture(fixture, fixture + "-lock")
                .manifest(m -> m.with("resourceRequirements").put("maxMemoryMB", 96).put("maxCpuPercent", 25)));
        int uid = get(id).extract().path("uid");
        InspectContainerResponse c = inspect(get(id).extract().path("containerId"));
        HostConfig hc = c.getHostConfig();

        assertThat(hc.getReadonlyRootfs()).isTrue();
        assertThat(hc.getNetworkMode()).isEqualTo("none");
        assertThat(hc.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(hc.getCapAdd()).isNullOrEmpty();
        assertThat(hc.getPrivileged()).isFalse();
        assertThat(hc.getSecurityOpts()).anyMatch(o -> o.startsWith("no-new-privileges"));
        assertThat(hc.getSecurityOpts()).noneMatch(o -> o.contains("unconfined"));
        assertThat(hc.getSecurityOpts()).as("our seccomp profile: the default without ptrace and io_uring")
                .anySatisfy(o -> assertThat(o).startsWith("seccomp={").doesNotContain("\"ptrace\"")
                        .doesNotContain("io_uring"));
        assertThat(hc.getMemory()).isEqualTo(96L * 1024 * 1024);
        assertThat(hc.getMemorySwap()).isEqualTo(hc.getMemory());
        assertThat(hc.getNanoCPUs()).as("--cpus 0.25, what CIS Docker 5.12 reads").isEqualTo(250_000_000L);
        assertThat(hc.getCpuQuota()).as("no CFS quota set beside it").isIn(null, 0L);
        assertThat(hc.getOomScoreAdj()).as("a host-wide OOM kills a plugin before the host").isEqualTo(1000);
        assertThat(hc.getPidsLimit()).isPositive().isLessThanOrEqualTo(256L);
        assertThat(Arrays.stream(hc.getUlimits()).filter(u -> u.getName().equals("nofile")).findFirst())
                .hasValueSatisfying(u -> assertThat(u.getHardLong()).isPositive().isLessThanOrEqualTo(4096L));
        assertThat(Arrays.stream(hc.getUlimits()).filter(u -> u.getName().equals("core")).findFirst())
                .as("no core dumps").hasValueSatisfying(u -> assertThat(u.getHardLong()).isZero());
        assertThat(hc.getTmpFs()).containsKey("/tmp");
        assertThat(hc.getTmpFs().get("/tmp")).contains("noexec", "nosuid", "nodev", "size=");
        assertThat(hc.getIpcMode()).isEqualTo("private");
        assertThat(hc.getShmSize()).as("/dev/shm capped like /tmp").isEqualTo(16L * 1024 * 1024);
        assertThat(hc.getLogConfig().getConfig()).containsKeys("max-size", "max-file");
        assertThat(c.getConfig().getUser()).isEqualTo(uid + ":" + uid);
        assertThat(uid).isGreaterThanOrEqualTo(1000);
        assertThat(c.getConfig().getLabels())
                .containsEntry("io.logomesh.plugin", id).containsKey("io.logomesh.host");
        assertThat(c.getName()).isEqualTo("/logomesh-" + id);
        assertThat(c.getMounts()).allSatisfy(m -> {
            assertThat(m.getSource()).doesNotContain("docker.sock");
            assertThat(m.getDestination().getPath()).isIn("/plugin", "/run/logomesh", "/tmp");
        });
        assertThat(c.getMounts()).allSatisfy(m -> assertThat(m.getRW()).isFalse());
        Path ipc = dataFolder.ipcRoot().resolve(id);
        assertThat(Files.getAttribute(ipc, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .as("the IPC folder belongs to the plugin's uid").isEqualTo(uid);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ipc))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ipc.resolve("host.sock"),
                java.nio.file.LinkOption.NOFOLLOW_LINKS))).isEqualTo("rw-------");
        uninstallQuietly(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldKeepThePluginInsideItsWalls(String fixture) {
        String id = installAndActivate(TestBundle.fixture(fixture, fixture + "-walls"));
        int uid = get(id).extract().path("uid");

        action(id, "{\"type\":\"whoami\"}").statusCode(200).body("result.uid", is(uid)).body("result.uid", not(0));
        action(id, "{\"type\":\"writeRoot\"}").statusCode(200).body("result.ok", is(false));
        action(id, "{\"type\":\"writeTmp\"}").statusCode(200).body("result.ok", is(true));
        action(id, connectTo(bridgeGateway(), listener.port()))
                .statusCode(200).body("result.connected", is(false));

        Map<String, Object> env = action(id, "{\"type\":\"env\"}").statusCode(200).extract().path("result");
        assertThat(env).containsEntry("LOGOMESH_PLUGIN_ID", id).containsEntry("HOME", "/tmp");
        assertThat(System.getenv("HOST_SECRET_CANARY")).as("set by surefire").isNotBlank();
        assertThat(env).doesNotContainKey("HOST_SECRET_CANARY");
        System.getenv().forEach((key, value) ->
                assertThat(env).as("host variable %s leaked", key).doesNotContainEntry(key, value));
        uninstallQuietly(id);
    }

    @Test
    void shouldRefuseIoUringAndCoreDumpsAndRunFirstInLineForTheOomKiller() {
        String probe = """
                import ctypes, errno, resource
                libc = ctypes.CDLL(None, use_errno=True)
                def activate(ctx): pass
                def deactivate(ctx): pass
                def execute(action, ctx):
                    params = ctypes.create_string_buffer(120)  # struct io_uring_params
                    fd = libc.syscall(425, 1, params)  # io_uring_setup on x86_64
                    with open("/proc/self/oom_score_adj") as f:
                        oom = int(f.read())
                    return {"ioUringSetup": "ok" if fd >= 0 else errno.errorcode.get(ctypes.get_errno()),
                            "core": list(resource.getrlimit(resource.RLIMIT_CORE)), "oomScoreAdj": oom}
                """;
        String id = installAndActivate(TestBundle.fixture("echo-python", "uring-probe").file("main.py", probe)
                .manifest(m -> m.put("securityLevel", "elevated"))); // ctypes: no Python audit-hook sandbox

        action(id, "{\"type\":\"probe\"}").statusCode(200)
                .body("result.ioUringSetup", is("EPERM"))
                .body("result.core", org.hamcrest.Matchers.contains(0, 0))
                .body("result.oomScoreAdj", is(1000));
        uninstallQuietly(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-node", "echo-python"})
    void shouldNotConnectEvenWithNetworkAccessBecauseItsOnlyWayOutIsTheEgressProxy(String fixture) {
        // a networked plugin gets no Docker network either: its one way out is egress.sock (EgressTest)
        String id = installAndActivate(TestBundle.fixture(fixture, fixture + "-net")
                .manifest(m -> m.put("securityLevel", "elevated") // network needs elevated (PermissionLevels)
                        .with("resourceRequirements").put("networkAccess", true)));

        action(id, connectTo(bridgeGateway(), listener.port()))
                .statusCode(200).body("result.connected", is(false));
        assertThat(inspect(get(id).extract().path("containerId")).getHostConfig().getNetworkMode())
                .isEqualTo("none");
        uninstallQuietly(id);
    }

    @Test
    void shouldGiveAWritableDataFolderOnlyWithFileSystemAccess() throws IOException {
        String writer = """
                const fs = require('node:fs');
                module.exports = { activate() {}, deactivate() {}, execute(action) {
                  try { fs.writeFileSync(action.payload, 'kept'); return { ok: true }; }
                  catch (e) { return { ok: false, code: e.code }; } } };
                """;
        // elevated: no Node.js permission model, so the refusal seen is the container's read-only root
        String without = installAndActivate(TestBundle.fixture("echo-node", "no-fs").file("index.js", writer)
                .manifest(m -> m.put("securityLevel", "elevated")));
        String with = installAndActivate(TestBundle.fixture("echo-node", "with-fs").file("index.js", writer)
                .manifest(m -> m.with("resourceRequirements").put("fileSystemAccess", true)));

        action(without, "{\"type\":\"w\",\"payload\":\"/data/x\"}").statusCode(200)
                .body("result.ok", is(false)).body("result.code", is("EROFS"));
        action(with, "{\"type\":\"w\",\"payload\":\"/data/x\"}").statusCode(200).body("result.ok", is(true));

        Path written = dataFolder.pluginsRoot().resolve("with-fs/data/x");
        assertThat(written).hasContent("kept");
        int uid = get(with).extract().path("uid");
        assertThat(Files.getAttribute(written, "unix:uid")).isEqualTo(uid);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.getParent())))
                .isEqualTo("rwx------");
        Path dataDir = written.getParent().toRealPath();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                .as("/data is its own file system, an ext4 image mounted nosuid,nodev,noexec")
                .anySatisfy(line -> assertThat(line).contains(" " + dataDir + " ")
                        .contains("nosuid,nodev,noexec").contains(" - ext4 /dev/loop"));
        uninstallQuietly(without);
        uninstallQuietly(with);
        assertThat(written.getParent()).as("uninstall removes the plugin's data too").doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("and unmounts it").doesNotContain(" " + dataDir + " ");
    }

    private static String connectTo(String host, int port) {
        return "{\"type\":\"connect\",\"payload\":{\"host\":\"" + host + "\",\"port\":" + port + "}}";
    }
}
