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
