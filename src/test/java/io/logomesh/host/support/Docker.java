package io.logomesh.host.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import org.testcontainers.DockerClientFactory;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Map;

/** Looks at the engine from the test's side (through Testcontainers' client), independent of the host's code. */
public final class Docker {

    private Docker() {
    }

    public static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    /** Every container, running or not, labelled for the plugin. */
    public static List<Container> containersOf(String pluginId) {
        return client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("io.logomesh.plugin", pluginId)).exec();
    }

    public static InspectContainerResponse inspect(String containerId) {
        return client().inspectContainerCmd(containerId).exec();
    }

    /**
     * A container's memory limit as the kernel enforces it (cgroup v1 {@code memory.limit_in_bytes}, v2
     * {@code memory.max}), read from the test machine's {@code /sys/fs/cgroup}.
     */
    public static long cgroupMemoryLimit(String containerId) {
        java.nio.file.Path root = java.nio.file.Path.of("/sys/fs/cgroup");
        for (java.nio.file.Path file : List.of(root.resolve("memory/docker").resolve(containerId)
                        .resolve("memory.limit_in_bytes"),
                root.resolve("system.slice/docker-" + containerId + ".scope/memory.max"),
                root.resolve("docker").resolve(containerId).resolve("memory.max"))) {
            try {
                return Long.parseLong(java.nio.file.Files.readString(file).trim());
            } catch (java.io.IOException | NumberFormatException e) {
                // the next layout
            }
        }
        throw new IllegalStateException("no cgroup memory limit found for container " + containerId);
    }

    /**
     * One number from a container's cgroup v1 file, as the kernel holds it ({@code controller} e.g. {@code memory},
     * {@code file} e.g. {@code memory.limit_in_bytes}); the test machine runs cgroup v1.
     */
    public static long cgroupV1(String controller, String containerId, String file) {
        java.nio.file.Path p = java.nio.file.Path.of("/sys/fs/cgroup", controller, "docker", containerId, file);
        try {
            return Long.parseLong(java.nio.file.Files.readString(p).trim());
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + p + " (cgroup v1 expected on the test machine)", e);
        }
    }

    /** The gateway address of Docker's default bridge: the host as containers on that bridge see it. */
    public static String bridgeGateway() {
        String gateway = client().inspectNetworkCmd().withNetworkId("bridge").exec()
                .getIpam().getConfig().get(0).getGateway();
        if (gateway != null) {
            return gateway;
        }
        try { // older engines leave the gateway out of IPAM; it is docker0's own address
            return NetworkInterface.getByName("docker0").inetAddresses()
                    .filter(a -> a instanceof Inet4Address).findFirst().orElseThrow().getHostAddress();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot find the docker0 bridge address", e);
        }
    }
}
