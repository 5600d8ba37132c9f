package io.logomesh.host.hostile;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.plugin.PluginStore;
import io.logomesh.host.support.Docker;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.installAndActivate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Hostile plugins that try to get out of their container: network, the host's secrets and paths,
 * privileges, symlinks planted for the host to follow, and signals.
 */
abstract class IsolationSuite extends HostileSupport {

    /** What the host puts into a container's environment, plus what the runtime images set themselves. */
    private static final Set<String> CONTAINER_ENV = Set.of("LOGOMESH_PLUGIN_ID", "LOGOMESH_SOCKET", "LOGOMESH_MAIN",
            "LOGOMESH_MAX_FRAME", "LOGOMESH_SECURITY_LEVEL", "HOME", "PATH", "HOSTNAME", "NODE_ENV", "LANG",
            "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONPATH", "LC_ALL", "SSL_CERT_FILE",
            "LOGOMESH_MAX_MEMORY_MB", "LOGOMESH_MAX_EXECUTION_MS", "LOGOMESH_MAX_CONCURRENCY", "LOGOMESH_DATA_DIR",
            "NODE_OPTIONS");

    @Inject
    DataFolder data;

    @Inject
    PluginStore store;

    @Test
    void networkIsUnreachableWithoutNetworkAccess() throws IOException {
        String id = install("network");
        try (ServerSocket tcp = new ServerSocket(0); DatagramSocket udp = new DatagramSocket(0)) {
            String gateway = Docker.bridgeGateway();
            long t0 = System.nanoTime();
            JsonPath r = ok(id, "attack", "{\"host\":\"" + gateway + "\",\"tcpPort\":" + tcp.getLocalPort()
                    + ",\"udpPort\":" + udp.getLocalPort() + "}");
            long notice = ContainmentLog.millisSince(t0);
            assertThat(r.getBoolean("tcp.ok")).as("TCP to the host's bridge: %s", r.getString("tcp.code")).isFalse();
            assertThat(r.getBoolean("udp.ok")).as("UDP to the host's bridge: %s", r.getString("udp.code")).isFalse();
            assertThat(r.getBoolean("lookup.ok")).isFalse();
            assertThat(r.getBoolean("resolve.ok")).isFalse();
            assertThat(r.getList("interfaces", String.class)).containsExactly("lo");
            tcp.setSoTimeout(300);
            assertThatNothingArrives(() -> tcp.accept().close());
            udp.setSoTimeout(300);
            assertThatNothingArrives(() -> udp.receive(new DatagramPacket(new byte[64], 64)));
            assertHostAndNeighbourHealthy();
            record("network: TCP, UDP, DNS", true, "--network none (only lo): tcp " + r.getString("tcp.code")
                    + ", udp " + r.getString("udp.code") + ", dns " + r.getString("lookup.code") + "/"
                    + r.getString("resolve.code"), notice, ContainmentLog.millisSince(t0));
        }
        remove(id);
    }

    private interface Io {
        void run() throws IOException;
    }

    private static void assertThatNothingArrives(Io receive) throws IOException {
        try {
            receive.run();
            throw new AssertionError("something reached the test's listener from a container without network");
        } catch (SocketTimeoutException expected) {
            // nothing came
        }
    }

    @Test
    void secretsAndHostPathsAreOutOfReach() {
        String id = install("secrets");
        String containerId = get(id).extract().path("containerId");
        long t0 = System.nanoTime();
        JsonPath r = ok(id, "attack", "{}");
        long notice = ContainmentLog.millisSince(t0);

        Map<String, String> env = r.getMap("env", String.class, String.class);
        assertThat(env.keySet()).as("container environment").allMatch(CONTAINER_ENV::contains);
        for (Map.Entry<String, String> hostVar : System.getenv().entrySet()) {
            if (hostVar.getValue().length() >= 8 && !"PATH".equals(hostVar.getKey()) && !"HOME".equals(hostVar.getKey())) {
                assertThat(env.values()).as("host variable %s", hostVar.getKey()).doesNotContain(hostVar.getValue());
            }
        }
        if (r.getBoolean("proc1Environ.ok")) {
            for (String kv : r.getString("proc1Environ.text").split("\0")) {
                if (!kv.isEmpty()) {
                    assertThat(CONTAINER_ENV).as("/proc/1/environ").contains(kv.substring(0, kv.indexOf('=')));
                }
            }
        }
        assertMaskedOrDenied(r, "kcore");
        assertMaskedOrDenied(r, "keys");
        assertMaskedOrDenied(r, "timerList");
        if (r.getBoolean("firmware.ok")) {
            assertThat(r.getList("firmware.entries")).as("/sys/firmware").isEmpty();
        }
        assertThat(r.getList("sockets", String.class)).as("sockets and docker-named files in the container "
                + "(/.dockerenv is the engine's empty marker file)")
                .filteredOn(p -> !"/.dockerenv".equals(p)).containsExactly("/run/logomesh/host.sock");
        assertThat(r.getList("pids")).as("processes visible: only the container's own").hasSizeLessThanOrEqualTo(3);
        List<String> hostPaths = hostPathsIn(r.getString("mountinfo"));
        List<String> allowed = List.of(store.codeDir(id).toString(), data.ipcRoot().resolve(id).toString(),
                "/var/lib/docker/containers/" + containerId + "/");
        assertThat(hostPaths).as("host paths mounted into the container").isNotEmpty()
                .allMatch(p -> allowed.stream().anyMatch(p::startsWith), "inside " + allowed);
        assertHostAndNeighbourHealthy();
        record("secrets: env, /proc/1/environ, /proc/kcore, /proc/keys, /sys/firmware, docker.sock, mountinfo", true,
                "no host env; masked/denied (kcore " + describe(r, "kcore") + ", keys " + describe(r, "keys")
                        + "); only host.sock; bind mounts: " + hostPaths.size() + " (code, IPC, the container's own "
                        + "hosts/hostname/resolv.conf)", notice, ContainmentLog.millisSince(t0));
        remove(id);
    }

    private static void assertMaskedOrDenied(JsonPath r, String key) {
        if (r.getBoolean(key + ".ok")) {
            assertThat(r.getInt(key + ".bytes")).as("%s is masked (reads empty)", key).isZero();
        }
    }

    private static String describe(JsonPath r, String key) {
        return r.getBoolean(key + ".ok") ? "empty" : r.getString(key + ".code");
    }

    /** The root (4th field) of every mount backed by a block device or bind: a path on the host. */
    private static List<String> hostPathsIn(String mountinfo) {
        List<String> paths = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 5 || dash < 0) {
                continue;
            }
            String fsType = f[dash + 1];
            if (!Set.of("proc", "tmpfs", "devpts", "mqueue", "sysfs", "cgroup", "cgroup2", "overlay").contains(fsType)) {
                paths.add(f[3]);
            }
        }
        return paths;
    }

    @Test
    void privilegesCannotBeRaised() {
        String id = install("privilege");
        long t0 = System.nanoTime();
        JsonPath r = ok(id, "attack", "{}");
        long notice = ContainmentLog.millisSince(t0);
        assertThat(r.getInt("uid")).isGreaterThanOrEqualTo(config.limits().uidBase());
        assertThat(r.getString("noNewPrivs")).isEqualTo("1");
        assertThat(r.getString("seccomp")).as("seccomp filter mode").isEqualTo("2");
        assertThat(r.getString("capEff")).isEqualTo("0000000000000000");
        assertThat(r.getString("capBnd")).isEqualTo("0000000000000000");
        List<String> calls = "node".equals(runtime())
                ? List.of("setuid", "setgid", "setgroups", "seteuid")
                : List.of("setuid", "setgid", "setgroups", "ptrace", "mount", "unshareUser", "unshareMount", "keyctl",
                        "rawSocket", "clockSettime", "settimeofday");
        for (String call : calls) {
            assertThat(r.getString(call)).as(call).isEqualTo("EPERM");
        }
        assertThat(r.getInt("uidAfter")).isEqualTo(r.getInt("uid"));
        assertHostAndNeighbourHealthy();
        record("privilege: setuid, ptrace, mount, unshare, keyctl, raw socket, clock", true,
                "no-new-privileges, CapEff/CapBnd 0, seccomp filter (the engine's default without ptrace): EPERM for "
                        + calls,
                notice, ContainmentLog.millisSince(t0));
        remove(id);
    }

    @Test
    void symlinksPlantedInDataAreNeverFollowedByTheHost() throws IOException {
        Path victimDir = Files.createTempDirectory("hx-victim-");
        Path victimFile = victimDir.resolve("secret.txt");
        Files.writeString(victimFile, "host secret");
        byte[] passwd = Files.readAllBytes(Path.of("/etc/passwd"));
        Path neighbourSocket = data.ipcRoot().resolve(neighbour()).resolve("host.sock");
        String id = install("symlinks");
        long t0 = System.nanoTime();
        JsonPath r = ok(id, "attack", "{\"victimFile\":\"" + victimFile + "\",\"victimDir\":\"" + victimDir
                + "\",\"ipcDir\":\"" + data.ipcRoot().resolve(neighbour()) + "\"}");
        for (String link : List.of("passwd", "victimFile", "victimDir", "nestedDir", "hostIpc", "ownIpc", "root",
                "dataSelf")) {
            assertThat(r.getString(link)).as("symlink %s planted", link).isEqualTo("ok");
        }
        assertThat(r.getString("inIpcFolder")).isEqualTo("EROFS");

        deactivate(id).statusCode(200).body("state", is("INACTIVE")); // host stops it
        activate(id).statusCode(200).body("state", is("ACTIVE"));     // host prepares /data again
        assertThat(ok(id, "list", "{}").getList("")).contains("passwd", "victim-file", "victim-dir", "loop");
        remove(id);                                                     // host deletes the data folder
        long notice = ContainmentLog.millisSince(t0);

        assertThat(Files.readString(victimFile)).isEqualTo("host secret");
        assertThat(Files.readAllBytes(Path.of("/etc/passwd"))).isEqualTo(passwd);
        assertThat(Files.exists(neighbourSocket)).as("the neighbour's IPC socket").isTrue();
        assertThat(store.dataDir(id)).doesNotExist();
        assertHostAndNeighbourHealthy();

        installAndActivate(io.logomesh.host.support.TestBundle.hostile("symlinks-" + runtime()));
        assertThat(ok(id, "list", "{}").getList("")).as("a reinstalled plugin starts with an empty /data").isEmpty();
        remove(id);
        assertThat(Files.readString(victimFile, StandardCharsets.UTF_8)).isEqualTo("host secret");
        io.logomesh.host.plugin.PluginStore.deleteTree(victimDir);
        record("symlinks in /data (to /etc/passwd, host files and dirs, IPC folders)", true,
                "host never follows links (NOFOLLOW walk on delete, no reads of /data); IPC folder mounted ro -> EROFS",
                notice, ContainmentLog.millisSince(t0));
    }

    @Test
    void signalsReachOnlyTheirOwnContainer() {
        String id = install("signals");
        String neighbourContainer = get(neighbour()).extract().path("containerId");
        String startedAt = Docker.inspect(neighbourContainer).getState().getStartedAt();
        long t0 = System.nanoTime();
        io.restassured.response.Response resp = run(id, "attack", "{}");
        long notice = ContainmentLog.millisSince(t0);
        String how;
        if (resp.statusCode() == 200 && !resp.jsonPath().getBoolean("success")) {
            // a signal the runtime handles (Python: SIGINT -> KeyboardInterrupt) broke its own call, nothing else
            JsonPath state = awaitStateOrLast(id, "FAILED", 5); // the runtime may die of it a moment later
            assertThat(state.getString("state")).isIn("ACTIVE", "FAILED");
            if ("ACTIVE".equals(state.getString("state"))) {
                echo(id);
            }
            how = "pid namespace: a signal PID 1 handles interrupted the plugin's own call ("
                    + resp.jsonPath().getString("error") + "), plugin " + state.getString("state");
        } else if (resp.statusCode() == 200) {
            JsonPath r = resp.jsonPath().setRootPath("result");
            assertThat(r.getBoolean("alive")).as("PID 1 ignores signals it has no handler for").isTrue();
            assertThat(r.getString("victimSignal")).as("kill -9 -1 killed its own child").isIn("SIGKILL", "9");
            echo(id);
            how = "pid namespace: kill -9 -1 killed only its own child; PID 1 (the runtime) survives";
        } else {
            JsonPath state = awaitStateOrLast(id, "FAILED", 20);
            assertThat(state.getString("state")).as("a runtime that signalled itself to death is FAILED").isEqualTo("FAILED");
            how = "pid namespace: the runtime (PID 1) ended itself through a signal it handles ("
                    + state.getString("failureReason") + ")";
        }
        assertThat(Docker.inspect(neighbourContainer).getState().getStartedAt()).isEqualTo(startedAt);
        assertThat(Docker.inspect(neighbourContainer).getState().getRunning()).isTrue();
        assertHostAndNeighbourHealthy();
        record("signals: kill -9 -1, signals to PID 1", true, how + "; the neighbour's container untouched", notice,
                ContainmentLog.millisSince(t0));
        remove(id);
    }
}
