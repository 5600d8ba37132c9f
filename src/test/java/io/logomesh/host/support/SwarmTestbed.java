package io.logomesh.host.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.logomesh.host.container.docker.swarm.SwarmServices;

import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The cluster tests' three-engine swarm (deploy/swarm-testbed.sh) and what they all do with it: bring it up and
 * read its addresses, cut a worker off, take it down and check that nothing is left, talk to its engines.
 */
public final class SwarmTestbed {

    private static final Path SCRIPT = Path.of("deploy/swarm-testbed.sh").toAbsolutePath();
    private static final Path BUILD_IMAGE = Path.of("deploy/build-image.sh").toAbsolutePath();
    /** The control plane's image the cluster tests build (the node agents run it). */
    public static final String HOST_IMAGE = "logomesh-host:cluster-it";
    /**
     * Each test engine's socket, as a node agent's mount names it: the testbed gives every engine the hostname
     * {@code logomesh-swarm-<node>} and the socket {@code /run/logomesh-swarm-<node>.sock}.
     */
    public static final String ENGINE_SOCKET = "/run/{{.Node.Hostname}}.sock";

    private static final Path LOCK_FILE = Path.of("/tmp/logomesh-swarm-testbed.lock");
    private static FileLock lock;

    private SwarmTestbed() {
    }

    /** Skips the test where the testbed cannot run (not root, no dockerd). */
    public static void assumeRunnable() {
        assumeThat(new com.sun.security.auth.module.UnixSystem().getUid()).as("the testbed runs dockerd as root")
                .isZero();
        assumeThat(Path.of("/usr/sbin/dockerd").toFile().canExecute()
                || Path.of("/usr/bin/dockerd").toFile().canExecute()).as("dockerd is installed").isTrue();
    }

    /**
     * Brings the swarm up with these images on its workers (null: the script's default list).
     *
     * @return its env lines: {@code MANAGER_HOST}, {@code WORKER1_HOST}, {@code CONTROL_PLANE_ADDR},
     *         {@code IMAGE_ID_<image>}, …
     */
    public static Map<String, String> up(String images) throws Exception {
        hold();
        Map<String, String> env = images == null ? Map.of() : Map.of("IMAGES", images);
        Map<String, String> lines = new HashMap<>();
        run(env, "bash", SCRIPT.toString(), "up").lines().filter(l -> l.matches("[A-Z0-9_]+=.*"))
                .forEach(l -> lines.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return lines;
    }

    /** Takes the swarm down and asserts that nothing of it is left. */
    public static void down() throws Exception {
        run(Map.of(), "bash", SCRIPT.toString(), "down");
        assertThat(run(Map.of(), "bash", SCRIPT.toString(), "check").strip())
                .as("the testbed leaves nothing behind").isEqualTo("clean");
        release();
    }

    /**
     * One test bed per machine: its namespaces, addresses and daemons have fixed names, so a second test JVM (a
     * colleague's worktree, a CI run) waits here for the first one's {@link #down()} (or its exit, which drops the
     * lock) instead of tearing the swarm down under it.
     */
    private static synchronized void hold() throws Exception {
        if (lock == null) {
            FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.lock();
        }
    }

    private static synchronized void release() throws Exception {
        if (lock != null) {
            lock.channel().close();
            lock = null;
        }
    }

    /** Takes a worker's link down ({@code worker1} or {@code worker2}). */
    public static void cut(String worker) throws Exception {
        run(Map.of(), "bash", SCRIPT.toString(), "cut", worker);
    }

    /**
     * Builds the control plane's image ({@link #HOST_IMAGE}) from target/quarkus-app, under the test bed's lock: the
     * tag is the machine's, so a second worktree's build must not replace it while this run's swarm uses it.
     */
    public static void buildHostImage() throws Exception {
        hold();
        run(Map.of("LOGOMESH_HOST_IMAGE", HOST_IMAGE), "bash", BUILD_IMAGE.toString());
    }

    /** The id the testbed's workers have for an image (an {@code IMAGE_ID_…} line of {@link #up}). */
    public static String imageId(Map<String, String> env, String image) {
        String id = env.get("IMAGE_ID_" + image.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        assertThat(id).as("the testbed loaded " + image).startsWith("sha256:");
        return id;
    }

    /** docker-java on one of its engines. */
    public static DockerClient client(String host) {
        assertThat(host).as("the testbed printed the engine's address").isNotNull();
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        var http = new ApacheDockerHttpClient.Builder().dockerHost(URI.create(host))
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** The manager's services. */
    public static SwarmServices services(DockerClient manager) {
        return new SwarmServices(manager, ((DockerClientImpl) manager).getHttpClient());
    }

    /** Polls until the probe answers, at most {@code timeout}. */
    public static <T> T await(Supplier<Optional<T>> probe, Duration timeout, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Optional<T> seen = probe.get();
            if (seen.isPresent()) {
                return seen.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no " + what + " within " + timeout);
    }

    /** Runs a command, asserting it exits 0 within 5 minutes; its output. */
    public static String run(Map<String, String> extraEnv, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(extraEnv);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    /** Removes a folder and everything in it (the nodes' plugin folders a test made). */
    public static void deleteTree(Path dir) throws Exception {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
