package io.logomesh.host.cluster;

import java.util.function.Consumer;
import com.fasterxml.jackson.databind.JsonNode;
import io.logomesh.host.container.ContainerNodeLostEvent;
import io.logomesh.host.container.ContainerOomEvent;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.docker.ContainerLabels;
import io.logomesh.host.container.docker.swarm.PluginSlot;
import io.logomesh.host.container.docker.swarm.NodePins;
import io.logomesh.host.container.docker.swarm.SwarmAgentSpec;
import io.logomesh.host.container.docker.swarm.SwarmBackend;
import io.logomesh.host.container.docker.swarm.SwarmContainerFactory;
import io.logomesh.host.container.docker.swarm.SwarmServices;
import io.logomesh.host.egress.EgressEndpoint;
import io.logomesh.host.ipc.PluginEndpoint;
import io.logomesh.host.ipc.relay.AgentIdentity;
import io.logomesh.host.ipc.relay.AgentLinks;
import io.logomesh.host.ipc.relay.ClusterCa;
import io.logomesh.host.ipc.relay.RelayIdentity;
import io.logomesh.host.ipc.relay.RelayLimits;
import io.logomesh.host.ipc.relay.RelayRoute;
import io.logomesh.host.ipc.relay.RelayServer;
import io.logomesh.host.ipc.relay.RelayTls;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import javax.net.ssl.SSLSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host in cluster mode (docs/cluster.md): its certificate authority ({@code <data>/cluster}), the relay the
 * node agents dial ({@code logomesh.cluster.relay-address}), and the agents themselves, a service per worker
 * ({@link NodeAgentServices}) started (again) at each start with a fresh certificate naming that worker. It waits, bounded,
 * for a first agent to link, so a plugin's first activation finds a node ready.
 */
final class SwarmCluster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SwarmCluster.class);
    private static final java.time.Duration RECONCILE_EVERY = java.time.Duration.ofSeconds(5);

    private final SwarmBackend backend;
    private final AgentLinks links = new AgentLinks();
    private final NodeExits exits = new NodeExits();
    private final Placements placements = new Placements(this::nodesOf);
    /** Which node last ran each service's container: where stats and update orders go first. */
    private final ServiceNodes serviceNodes = new ServiceNodes();
    private RelayServer relay;
    private NodeAgentServices agents;
    private NodePins pins;
    private volatile SwarmContainerFactory factory;
    private Thread reconciler;
    private volatile boolean closed;

    private SwarmCluster(SwarmBackend backend) {
        this.backend = backend;
    }

    /** Starts the relay and the agents; throws, saying what is wrong, when cluster mode cannot run. */
    static SwarmCluster start(HostConfig config, DataFolder data, SwarmBackend backend,
                              Consumer<ContainerNodeLostEvent> lost, Consumer<ContainerOomEvent> oom) {
        HostConfig.Prewarm prewarm = config.prewarm();
        if (prewarm.nodejs().size() + prewarm.python().size() + prewarm.webassembly().size() > 0) {
            throw new IllegalStateException("cluster mode has no prewarmed cells: set logomesh.prewarm.nodejs.size,"
                    + " .python.size and .webassembly.size to 0");
        }
        backend.folders(); // refuses a node root too long for the plugins' sockets on the nodes, naming the setting
        String address = config.cluster().relayAddress().orElseThrow(() ->
                new IllegalStateException("logomesh.cluster.relay-address (ip:port) is required in swarm mode"));
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalStateException("logomesh.cluster.relay-address is not ip:port: " + address);
        }
        String ip = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        SwarmCluster cluster = new SwarmCluster(backend);
        cluster.links.onLost((node, why) -> cluster.lost(node, why, lost));
        cluster.links.onEvent((node, event) -> cluster.engineEvent(node, event, oom));
        try {
            cluster.begin(config, data, ip, port);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void begin(HostConfig config, DataFolder data, String ip, int port) {
        ClusterCa ca = ClusterCa.loadOrCreate(data.root().resolve("cluster"));
        pins = NodePins.load(data.root().resolve("cluster"));
        RelayIdentity server = ca.issueServer("logomesh-control-plane", List.of(ip), List.of());
        relay = RelayServer.start(new InetSocketAddress(ip, port), RelayTls.server(server),
                (RelayRoute.BySlot) (pluginId, nodeId, agent, next) -> route(data, new PluginSlot(pluginId, next),
                        nodeId, agent, PluginEndpoint.SOCKET_NAME),
                (RelayRoute.BySlot) (pluginId, nodeId, agent, next) -> route(data, new PluginSlot(pluginId, next),
                        nodeId, agent, EgressEndpoint.SOCKET_NAME),
                this::serveLink, RelayLimits.DEFAULTS);
        SwarmServices services = backend.services();
        String image = backend.imageId(config.cluster().agentImage());
        String relayAddress = ip + ":" + relay.port();
        agents = new NodeAgentServices(services, ca, backend.hostId(), (node, secrets) -> SwarmAgentSpec.of(node,
                image, relayAddress, backend.folders(), secrets, backend.hostId(), config.cluster().nodeEngineSocket()));
        agents.removeLeftovers();
        agents.reconcile();
        reconciler = Thread.ofPlatform().name("cluster-agents").daemon().start(this::reconcileLoop);
        long end = System.nanoTime() + config.cluster().agentWait().toNanos();
        while (links.nodes().isEmpty() && System.nanoTime() < end) {
            sleep();
        }
        if (links.nodes().isEmpty()) {
            throw new IllegalStateException("no node agent linked within " + config.cluster().agentWait()
                    + " (is the image " + config.cluster().agentImage() + " on every worker?)");
        }
        LOG.infof("cluster mode: relay on %s:%d, node agents linked: %s", ip, relay.port(), links.nodes());
    }

    /**
     * Every few seconds: a worker that joined gets its agent, one that left loses it; a node back after being away at
     * an uninstall deletes the data folder it still holds.
     */
    private void reconcileLoop() {
        while (!closed) {
            try {
                Thread.sleep(RECONCILE_EVERY.toMillis());
                agents.reconcile();
                SwarmContainerFactory f = factory;
                if (f != null) {
                    f.settleReleases();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cluster mode: the node agents could not be reconciled: %s", e.getMessage());
            }
        }
    }

    /** A control link is served only for the node its certificate names. */
    private void serveLink(String nodeId, String agent, SSLSocket link) {
        if (!AgentIdentity.speaksFor(agent, nodeId)) {
            LOG.warnf("cluster mode: refused a control link for node %s from the agent certificate of %s", nodeId,
                    agent);
            return;
        }
        links.serve(nodeId, link);
    }

    /** Each plugin whose task ran on the lost node gets an event (an alert, an audit record). */
    private void lost(String nodeId, String why,
                      Consumer<ContainerNodeLostEvent> lost) {
        LOG.warnf("cluster mode: node %s lost (%s)", nodeId, why);
        placements.forgetNode(nodeId);
        SwarmServices services = backend.services();
        services.servicesOf(backend.hostId()).forEach((id, labels) -> {
            String plugin = labels.get(ContainerLabels.PLUGIN);
            if (plugin != null && services.tasks(id).stream().anyMatch(t -> t.nodeId().orElse("").equals(nodeId)
                    && "running".equals(t.state()))) {
                lost.accept(new ContainerNodeLostEvent(plugin, nodeId, why));
            }
        });
    }

    /**
     * What a node's engine saw happen to a plugin's container: an OOM kill is acted on as on a single host (an
     * alert, the plugin ended {@code oom}); an exit is kept: it is how the plugin's container says it ended.
     */
    private void engineEvent(String nodeId, JsonNode event, Consumer<ContainerOomEvent> oom) {
        String plugin = event.path("pluginId").asText("");
        String service = event.path("serviceId").asText("");
        String container = event.path("containerId").asText("");
        switch (event.path("kind").asText("")) {
            case "oom" -> {
                LOG.warnf("plugin %s: the OOM killer struck in its container on node %s", plugin, nodeId);
                exits.oom(container);
                oom.accept(new ContainerOomEvent(plugin, service, Instant.now()));
            }
            case "die" -> {
                long code = event.path("exitCode").asLong(-1);
                LOG.infof("plugin %s: its container on node %s ended (exit %d)", plugin, nodeId, code);
                exits.died(service, container, code);
            }
            default -> LOG.debugf("plugin %s: %s on node %s", plugin, event.path("kind").asText(), nodeId);
        }
    }

    /**
     * A relayed connection goes to the plugin's endpoint ({@code host.sock}), or an egress one to its egress proxy
     * ({@code egress.sock}, open only while it holds {@code network}: else refused), only from the agent of the node
     * the plugin's task was placed on: the agent's certificate names that node, its control link is up, and the
     * manager has the plugin's task there ({@link Placements}: its answer kept a second, asked at most 10 times a
     * second per node). No other agent can speak for the plugin, whatever its header says. The header's slot picks
     * the service whose task must be there and the endpoint ({@link SlotPlacement}): during an upgrade the old
     * version's task never reaches the new version's endpoint, nor the new one's the old.
     */
    private Optional<Path> route(DataFolder data, PluginSlot slot, String nodeId, String agent, String socketName) {
        if (!AgentIdentity.speaksFor(agent, nodeId) || !links.nodes().contains(nodeId)
                || !placements.placedOn(slot, nodeId)) {
            return Optional.empty();
        }
        return SlotPlacement.socket(data.ipcRoot(), slot, socketName);
    }

    /** The nodes on which the manager has a task of the slot's service, meant to run (two API calls). */
    private Set<String> nodesOf(PluginSlot slot) {
        SwarmServices services = backend.services();
        return SlotPlacement.nodesOf(slot, services.servicesOf(backend.hostId()), services::tasks);
    }

    SwarmContainerFactory factory() {
        factory = backend.factory(new AgentNodes(links, exits, placements::forget), pins);
        return factory;
    }

    /** The plugins' counters, read on their nodes by the agents. */
    NodeStatsSource stats() {
        return new NodeStatsSource(links, serviceNodes);
    }

    /** Live limit changes, carried out on the plugins' nodes by the agents (first at the node last seen running it). */
    NodeResources resources(long pidsLimit) {
        return new NodeResources(links, pidsLimit, serviceNodes);
    }

    /** The nodes whose agent is linked now. */
    Set<String> nodes() {
        return links.nodes();
    }

    @Override
    public void close() {
        closed = true;
        if (reconciler != null) {
            reconciler.interrupt();
        }
        if (relay != null) {
            relay.close();
        }
        links.close();
        if (agents != null) {
            agents.close();
        }
        backend.close();
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the node agents");
        }
    }
}
