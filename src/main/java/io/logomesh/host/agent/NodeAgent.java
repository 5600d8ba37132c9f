package io.logomesh.host.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.docker.swarm.NodeFolders;
import io.logomesh.host.container.docker.swarm.PluginSlot;
import io.logomesh.host.ipc.relay.BytePump;
import io.logomesh.host.ipc.relay.RelayClient;
import io.logomesh.host.ipc.relay.RelayHeader;
import io.logomesh.host.ipc.relay.RelayIdentity;
import io.logomesh.host.ipc.relay.RelayTls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The node agent: one per swarm worker (a global service, see {@code SwarmAgentSpec}), the same application as
 * the control plane started at another main class, without the host's services. It keeps each plugin's folders
 * and socket on its node, as the control plane orders over its control link ({@link ControlLink}), and relays
 * each plugin connection to the control plane over mutual TLS with the keys the control plane issued
 * ({@code RelayIdentity} in {@code LOGOMESH_AGENT_TLS_DIR}); nothing it relays is read or changed on the way.
 * Exits 2 on a bad setting, at once and saying which.
 */
public final class NodeAgent {

    /** How long connecting and the TLS handshake to the control plane may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(NodeAgent.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeAgent() {
    }

    public static void main(String[] args) throws InterruptedException {
        AgentConfig config;
        SSLContext tls;
        NodeFolders folders;
        try {
            config = AgentConfig.fromEnv(System.getenv());
            folders = new NodeFolders(config.nodeRoot(), config.dataRoot());
            tls = RelayTls.client(RelayIdentity.readFrom(config.tlsDir()));
        } catch (RuntimeException e) {
            System.err.println("logomesh node agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        PluginPosts posts = new PluginPosts(folders, config.nodeId(), relay(config, tls), egressRelay(config, tls));
        Optional<NodeEngine> engine = config.engine().map(NodeEngine::connect);
        Optional<NodeStats> stats = engine.map(e -> new NodeStats(e, config.cgroupRoot(), config.procRoot()));
        Optional<NodeLimits> limits = engine.map(e -> new NodeLimits(e, e));
        OomScores scores = new OomScores(config.procRoot());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            posts.close();
            engine.ifPresent(NodeEngine::close);
        }, "agent-shutdown"));
        LOG.info("node agent of " + config.nodeId() + ": control plane " + config.controlPlane() + ", engine "
                + config.engine().orElse("(none: no stats, no engine events)"));
        ControlLink link = new ControlLink(() -> RelayClient.connect(config.controlPlane(), tls,
                RelayHeader.control(config.nodeId()), CONNECT_TIMEOUT), posts, stats, limits);
        engine.ifPresent(e -> Thread.ofVirtual().name("engine-events").start(() -> e.follow(event -> {
            if ("die".equals(event.kind())) {
                stats.ifPresent(s -> s.ended(event.containerId()));
            }
            if ("start".equals(event.kind())) {
                started(event, e, limits.orElseThrow(), scores);
            }
            link.push(eventFrame(event));
        })));
        link.run();
    }

    /**
     * A plugin container just started on this node: what its service spec cannot set on API 1.41, set before its
     * start is reported: memory+swap = memory ({@link NodeLimits#started}), and {@code oom_score_adj} 1000 on its
     * processes ({@link OomScores}).
     */
    static void started(NodeEngine.EngineEvent event, NodeContainers containers, NodeLimits limits,
                        OomScores scores) {
        limits.started(event.containerId());
        try {
            int raised = scores.raise(containers.pidOf(event.containerId()));
            LOG.fine("plugin " + event.pluginId() + ": oom_score_adj " + OomScores.SCORE + " on " + raised
                    + " processes");
        } catch (RuntimeException ex) {
            LOG.warning("plugin " + event.pluginId() + ": setting its oom_score_adj failed: " + ex.getMessage());
        }
    }

    /** An engine event as the control link carries it. */
    static ObjectNode eventFrame(NodeEngine.EngineEvent event) {
        ObjectNode frame = JSON.createObjectNode().put("type", "event").put("kind", event.kind())
                .put("pluginId", event.pluginId()).put("serviceId", event.serviceId())
                .put("containerId", event.containerId()).put("at", event.at().toString());
        if ("die".equals(event.kind())) {
            frame.put("exitCode", event.exitCode());
        }
        return frame;
    }

    /**
     * Each plugin connection: its own TLS connection to the control plane, headed with the plugin, the node and the
     * slot (the post's name is its {@link PluginSlot#folderName()}: {@code next} for {@code <id>.next}).
     */
    static Relay relay(AgentConfig config, SSLContext tls) {
        return relay(config, tls, name -> {
            PluginSlot slot = PluginSlot.parse(name);
            return RelayHeader.plugin(slot.pluginId(), config.nodeId(), slot.next());
        });
    }

    /**
     * Each egress connection of a plugin: its own TLS connection to the control plane, headed {@code egress} with the
     * plugin (whose socket it came in on), the node and the slot.
     */
    static Relay egressRelay(AgentConfig config, SSLContext tls) {
        return relay(config, tls, name -> {
            PluginSlot slot = PluginSlot.parse(name);
            return RelayHeader.egress(slot.pluginId(), config.nodeId(), slot.next());
        });
    }

    private static Relay relay(AgentConfig config, SSLContext tls,
                               java.util.function.Function<String, RelayHeader> header) {
        return (pluginId, plugin, onClosed) -> {
            SSLSocket up;
            try {
                up = RelayClient.connect(config.controlPlane(), tls, header.apply(pluginId), CONNECT_TIMEOUT);
            } catch (RuntimeException e) {
                throw new java.io.IOException(e.getMessage(), e);
            }
            AtomicReference<BytePump> pump = new AtomicReference<>();
            AutoCloseable handle = () -> {
                BytePump p = pump.get();
                if (p != null) {
                    p.close();
                }
            };
            pump.set(RelayClient.pump(plugin, up, () -> onClosed.accept(handle)));
            return handle;
        };
    }
}
