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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.installAndActivate;
import static org.hamcrest.Matchers.is;

/**
 * Hostile plugins that try to get out of their container: network, the host's secrets and paths,
 * privileges, symlinks planted for the host to follow, and signals.
 */
abstract class IsolationSuite extends HostileSupport {

    /** What the host puts into a container's environment, plus what the runtime images set themselves. */
    /** The host folder mounted at the plugin's IPC path (its own, or its cell's when it runs in one). */
    private static Path ipcFolderOf(String pluginId) {
        String containerId = get(pluginId).extract().path("containerId");
        return Path.of(io.logomesh.host.support.Docker.inspect(containerId).getMounts().stream()
                .filter(m -> "/run/logomesh".equals(m.getDestination().getPath())).findFirst().orElseThrow()
                .getSource());
    }

    private static final Set<String> CONTAINER_ENV = Set.of("LOGOMESH_PLUGIN_ID", "LOGOMESH_SOCKET", "LOGOMESH_MAIN",
            "LOGOMESH_MAX_FRAME", "LOGOMESH_SECURITY_LEVEL", "HOME", "PATH", "HOSTNAME", "NODE_ENV", "LANG",
            "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONPATH", "LC_ALL", "SSL_CERT_FILE",
            "LOGOMESH_MAX_MEMORY_MB", "LOGOMESH_MAX_EXECUTION_MS", "LOGOMESH_MAX_CONCURRENCY", "LOGOMESH_DATA_DIR",
            "NODE_OPTIONS", "LOGOMESH_CELL", "LOGOMESH_CELL_EGRESS",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"); // the shim's egress proxy

    @Inject
    DataFolder data;

    @Inject
    PluginStore store;

    @Test
    void networkIsUnreachableWithoutNetworkAccess() {
        contain("network: TCP, UDP, DNS", o -> {
            String id = install("network");
            try (ServerSocket tcp = new ServerSocket(0); DatagramSocket udp = new DatagramSocket(0)) {
                String gateway = Docker.bridgeGateway();
                o.start();
                JsonPath r = ok(id, "attack", "{\"host\":\"" + gateway + "\",\"tcpPort\":" + tcp.getLocalPort()
                        + ",\"udpPort\":" + udp.getLocalPort() + "}");
                o.noticed();
                o.assertThat(r.getBoolean("tcp.ok")).as("TCP to the host's bridge: %s", r.getString("tcp.code")).isFalse();
                o.assertThat(r.getBoolean("udp.ok")).as("UDP to the host's bridge: %s", r.getString("udp.code")).isFalse();
                o.assertThat(r.getBoolean("lookup.ok")).as("DNS lookup").isFalse();
                o.assertThat(r.getBoolean("resolve.ok")).as("DNS resolve").isFalse();
                List<String> interfaces = r.getList("interfaces", String.class);
                o.assertThat(interfaces).containsExactly("lo");
                tcp.setSoTimeout(300);
                boolean tcpArrived = arrived(() -> tcp.accept().close());
                udp.setSoTimeout(300);
                boolean udpArrived = arrived(() -> udp.receive(new DatagramPacket(new byte[64], 64)));
                o.assertThat(tcpArrived).as("a TCP connection reached the test's listener").isFalse();
                o.assertThat(udpArrived).as("a UDP packet reached the test's listener").isFalse();
                o.how("--network none (interfaces " + interfaces + "): tcp " + r.getString("tcp.code") + ", udp "
                        + r.getString("udp.code") + ", dns " + r.getString("lookup.code") + "/"
                        + r.getString("resolve.code") + "; the test's listeners received "
                        + (tcpArrived || udpArrived ? "SOMETHING" : "nothing"));
                assertRecovered(o);
            }
            remove(id);
        });
    }

    private interface Io {
        void run() throws IOException;
    }

    /** Whether something arrived at the test's listener before its timeout. */
    private static boolean arrived(Io receive) throws IOException {
        try {
            receive.run();
            return true;
        } catch (SocketTimeoutException expected) {
            return false;
        }
    }

    @Test
    void secretsAndHostPathsAreOutOfReach() {
        contain("secrets: env, /proc/1/environ, /proc/kcore, /proc/keys, /sys/firmware, docker.sock, mountinfo", o -> {
            String id = install("secrets");
            String containerId = get(id).extract().path("containerId");
            o.start();
            JsonPath r = ok(id, "attack", "{}");
            o.noticed();

            Map<String, String> env = r.getMap("env", String.class, String.class);
            o.assertThat(env.keySet()).as("container environment").allMatch(CONTAINER_ENV::contains);
            for (Map.Entry<String, String> hostVar : System.getenv().entrySet()) {
                if (hostVar.getValue().length() >= 8 && !"PATH".equals(hostVar.getKey())
                        && !"HOME".equals(hostVar.getKey())) {
                    o.assertThat(env.values()).as("host variable %s", hostVar.getKey()).doesNotContain(hostVar.getValue());
                }
            }
            if (r.getBoolean("proc1Environ.ok")) {
                for (String kv : r.getString("proc1Environ.text").split("\0")) {
                    if (!kv.isEmpty()) {
                        o.assertThat(CONTAINER_ENV).as("/proc/1/environ").contains(kv.substring(0, kv.indexOf('=')));
                    }
                }
            }
            assertMaskedOrDenied(o, r, "kcore");
            assertMaskedOrDenied(o, r, "keys");
            assertMaskedOrDenied(o, r, "timerList");
            if (r.getBoolean("firmware.ok")) {
                o.assertThat(r.getList("firmware.entries")).as("/sys/firmware").isEmpty();
            }
            List<String> sockets = r.getList("sockets", String.class).stream()
                    .filter(p -> !"/.dockerenv".equals(p)).toList(); // the engine's empty marker file
            o.assertThat(sockets).as("sockets and docker-named files in the container")
                    .containsExactly("/run/logomesh/host.sock");
            o.assertThat(r.getList("pids")).as("processes visible: only the container's own").hasSizeLessThanOrEqualTo(3);
            List<String> hostPaths = hostPathsIn(r.getString("mountinfo"));
            var inspected = io.logomesh.host.support.Docker.inspect(containerId);
            String engineRoot = io.logomesh.host.support.Docker.client().infoCmd().exec().getDockerRootDir();
            List<String> allowed = new java.util.ArrayList<>(List.of(store.codeDir(id).toString(),
                    data.ipcRoot().resolve(id).toString(), engineRoot + "/containers/" + containerId + "/"));
            if (inspected.getConfig().getLabels().containsKey("io.logomesh.pool")) { // a prewarmed cell: its own folder
                allowed.add(data.root().resolve("cells").resolve(inspected.getConfig().getHostName()) + "/");
            }
            o.assertThat(hostPaths).as("host paths mounted into the container").isNotEmpty()
                    .allMatch(p -> allowed.stream().anyMatch(p::startsWith), "inside " + allowed);
            o.how("env: " + env.size() + " variables, all the container's own; kcore " + describe(r, "kcore")
                    + ", keys " + describe(r, "keys") + ", timer_list " + describe(r, "timerList") + "; sockets "
                    + sockets + "; " + r.getList("pids").size() + " processes visible; bind mounts: "
                    + hostPaths.size() + " (code, IPC, the container's own hosts/hostname/resolv.conf)");
            assertRecovered(o);
            remove(id);
        });
    }

    private static void assertMaskedOrDenied(Observation o, JsonPath r, String key) {
        if (r.getBoolean(key + ".ok")) {
            o.assertThat(r.getInt(key + ".bytes")).as("%s is masked (reads empty)", key).isZero();
        }
    }

    private static String describe(JsonPath r, String key) {
        return r.getBoolean(key + ".ok") ? (r.getInt(key + ".bytes") == 0 ? "empty" : r.getInt(key + ".bytes") + " bytes")
                : r.getString(key + ".code");
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
        contain("privilege: setuid, ptrace, mount, unshare, keyctl, raw socket, clock", o -> {
            String id = install("privilege");
            o.start();
            JsonPath r = ok(id, "attack", "{}");
            o.noticed();
            o.assertThat(r.getInt("uid")).isGreaterThanOrEqualTo(config.limits().uidBase());
            o.assertThat(r.getString("noNewPrivs")).as("NoNewPrivs").isEqualTo("1");
            o.assertThat(r.getString("seccomp")).as("seccomp filter mode").isEqualTo("2");
            o.assertThat(r.getString("capEff")).as("CapEff").isEqualTo("0000000000000000");
            o.assertThat(r.getString("capBnd")).as("CapBnd").isEqualTo("0000000000000000");
            List<String> calls = "node".equals(runtime())
                    ? List.of("setuid", "setgid", "setgroups", "seteuid")
                    : List.of("setuid", "setgid", "setgroups", "ptrace", "mount", "unshareUser", "unshareMount", "keyctl",
                            "rawSocket", "clockSettime", "settimeofday");
            Map<String, String> answers = new LinkedHashMap<>();
            for (String call : calls) {
                answers.put(call, r.getString(call));
                o.assertThat(r.getString(call)).as(call).isEqualTo("EPERM");
            }
            o.assertThat(r.getInt("uidAfter")).as("uid after the attempts").isEqualTo(r.getInt("uid"));
            o.how("uid " + r.getInt("uid") + " -> " + r.getInt("uidAfter") + "; NoNewPrivs " + r.getString("noNewPrivs")
                    + ", CapEff " + r.getString("capEff") + ", CapBnd " + r.getString("capBnd") + ", seccomp mode "
                    + r.getString("seccomp") + " (the engine's default without ptrace); " + answers);
            assertRecovered(o);
            remove(id);
        });
    }

    @Test
    void symlinksPlantedInDataAreNeverFollowedByTheHost() {
        contain("symlinks in /data (to /etc/passwd, host files and dirs, IPC folders)", o -> {
            Path victimDir = Files.createTempDirectory("hx-victim-");
            Path victimFile = victimDir.resolve("secret.txt");
            Files.writeString(victimFile, "host secret");
            byte[] passwd = Files.readAllBytes(Path.of("/etc/passwd"));
            Path neighbourSocket = ipcFolderOf(neighbour()).resolve("host.sock");
            String id = install("symlinks");
            o.start();
            JsonPath r = ok(id, "attack", "{\"victimFile\":\"" + victimFile + "\",\"victimDir\":\"" + victimDir
                    + "\",\"ipcDir\":\"" + data.ipcRoot().resolve(neighbour()) + "\"}");
            for (String link : List.of("passwd", "victimFile", "victimDir", "nestedDir", "hostIpc", "ownIpc", "root",
                    "dataSelf")) {
                o.assertThat(r.getString(link)).as("symlink %s planted", link).isEqualTo("ok");
            }
            o.assertThat(r.getString("inIpcFolder")).as("a write into the IPC folder").isEqualTo("EROFS");

            deactivate(id).statusCode(200).body("state", is("INACTIVE")); // host stops it
            activate(id).statusCode(200).body("state", is("ACTIVE"));     // host prepares /data again
            o.assertThat(ok(id, "list", "{}").getList("")).contains("passwd", "victim-file", "victim-dir", "loop");
            remove(id);                                                     // host deletes the data folder
            o.noticed();

            boolean victimKept = "host secret".equals(Files.readString(victimFile));
            boolean passwdKept = java.util.Arrays.equals(Files.readAllBytes(Path.of("/etc/passwd")), passwd);
            boolean socketKept = Files.exists(neighbourSocket);
            o.assertThat(victimKept).as("the host file a link pointed at is intact").isTrue();
            o.assertThat(passwdKept).as("/etc/passwd is intact").isTrue();
            o.assertThat(socketKept).as("the neighbour's IPC socket").isTrue();
            o.assertThat(store.dataDir(id)).doesNotExist();
            assertHostAndNeighbourHealthy();

            installAndActivate(io.logomesh.host.support.TestBundle.hostile("symlinks-" + runtime()));
            List<Object> fresh = ok(id, "list", "{}").getList("");
            o.assertThat(fresh).as("a reinstalled plugin starts with an empty /data").isEmpty();
            remove(id);
            boolean victimKeptAgain = "host secret".equals(Files.readString(victimFile, StandardCharsets.UTF_8));
            o.assertThat(victimKeptAgain).as("the host file after the reinstall").isTrue();
            io.logomesh.host.plugin.PluginStore.deleteTree(victimDir);
            o.recovered();
            o.how("links planted (IPC folder write: " + r.getString("inIpcFolder") + "); after restart, uninstall and "
                    + "reinstall: host file " + (victimKept && victimKeptAgain ? "intact" : "CHANGED") + ", /etc/passwd "
                    + (passwdKept ? "intact" : "CHANGED") + ", neighbour's socket " + (socketKept ? "kept" : "GONE")
                    + ", reinstalled /data " + (fresh.isEmpty() ? "empty" : "NOT empty"));
        });
    }

    @Test
    void signalsReachOnlyTheirOwnContainer() {
        contain("signals: kill -9 -1, signals to PID 1", o -> {
            String id = install("signals");
            String neighbourContainer = get(neighbour()).extract().path("containerId");
            String startedAt = Docker.inspect(neighbourContainer).getState().getStartedAt();
            o.start();
            io.restassured.response.Response resp = run(id, "attack", "{}");
            o.noticed();
            String how;
            if (resp.statusCode() == 200 && !resp.jsonPath().getBoolean("success")) {
                // a signal the runtime handles (Python: SIGINT -> KeyboardInterrupt) broke its own call, nothing else
                JsonPath state = awaitStateOrLast(id, "FAILED", 5); // the runtime may die of it a moment later
                o.assertThat(state.getString("state")).isIn("ACTIVE", "FAILED");
                if ("ACTIVE".equals(state.getString("state"))) {
                    echo(id);
                }
                how = "pid namespace: a signal PID 1 handles interrupted the plugin's own call ("
                        + resp.jsonPath().getString("error") + "), plugin " + state.getString("state");
            } else if (resp.statusCode() == 200) {
                JsonPath r = resp.jsonPath().setRootPath("result");
                o.assertThat(r.getBoolean("alive")).as("PID 1 ignores signals it has no handler for").isTrue();
                o.assertThat(r.getString("victimSignal")).as("kill -9 -1 killed its own child").isIn("SIGKILL", "9");
                echo(id);
                how = "pid namespace: kill -9 -1 ended its own child (" + r.getString("victimSignal") + "); PID 1 "
                        + (r.getBoolean("alive") ? "survives" : "DIED");
            } else {
                JsonPath state = awaitStateOrLast(id, "FAILED", 20);
                o.assertThat(state.getString("state")).as("a runtime that signalled itself to death is FAILED")
                        .isEqualTo("FAILED");
                how = "pid namespace: the runtime (PID 1) ended itself through a signal it handles ("
                        + state.getString("failureReason") + ")";
            }
            String startedNow = Docker.inspect(neighbourContainer).getState().getStartedAt();
            Boolean running = Docker.inspect(neighbourContainer).getState().getRunning();
            o.assertThat(startedNow).as("the neighbour's container was not restarted").isEqualTo(startedAt);
            o.assertThat(running).as("the neighbour's container runs").isTrue();
            o.how(how + "; the neighbour's container " + (startedNow.equals(startedAt) && Boolean.TRUE.equals(running)
                    ? "untouched" : "HIT"));
            assertRecovered(o);
            remove(id);
        });
    }
}
