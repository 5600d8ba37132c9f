package io.logomesh.host.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.docker.ContainerLabels;
import io.logomesh.host.ipc.relay.AgentIdentity;
import io.logomesh.host.container.docker.swarm.SwarmAgentSpec;
import io.logomesh.host.container.docker.swarm.SwarmServices;
import io.logomesh.host.ipc.relay.ClusterCa;
import io.logomesh.host.ipc.relay.RelayIdentity;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * One node agent service per worker, each with a certificate of its own ({@link AgentIdentity}) handed over as swarm
 * secrets that only its service names, so only that worker ever receives them. {@link #reconcile()} gives a worker
 * that joined an agent and removes the agent of a worker that left the swarm; a worker that is down keeps its
 * agent's service (its task waits for the node). Secrets still in use when their service goes are removed on a
 * later reconcile.
 */
final class NodeAgentServices implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeAgentServices.class);

    private record Agent(String serviceId, List<String> secretIds) {
    }

    private final SwarmServices services;
    private final ClusterCa ca;
    private final String hostId;
    private final BiFunction<String, List<SwarmAgentSpec.Secret>, ObjectNode> spec;
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private final Set<String> unusedSecrets = ConcurrentHashMap.newKeySet();

    /**
     * @param spec the agent service's body for a node and its secrets
     */
    NodeAgentServices(SwarmServices services, ClusterCa ca, String hostId,
                      BiFunction<String, List<SwarmAgentSpec.Secret>, ObjectNode> spec) {
        this.services = services;
        this.ca = ca;
        this.hostId = hostId;
        this.spec = spec;
    }

    /** Removes the agents and secrets an earlier start of this host left (their certificates are replaced). */
    void removeLeftovers() {
        services.servicesOf(hostId).forEach((id, labels) -> {
            if ("node-agent".equals(labels.get("io.logomesh.component"))) {
                services.remove(id);
            }
        });
        unusedSecrets.addAll(services.secretsOf(hostId));
        removeUnusedSecrets();
    }

    /** Gives every worker without an agent one, and removes the agents of workers no longer in the swarm. */
    synchronized void reconcile() {
        List<String> workers = services.workerIds();
        for (String node : workers) {
            if (!agents.containsKey(node)) {
                agents.put(node, start(node));
                LOG.infof("cluster mode: node agent for worker %s created", node);
            }
        }
        for (String node : List.copyOf(agents.keySet())) {
            if (!workers.contains(node)) {
                Agent gone = agents.remove(node);
                services.remove(gone.serviceId());
                unusedSecrets.addAll(gone.secretIds());
                LOG.infof("cluster mode: worker %s left the swarm; its node agent was removed", node);
            }
        }
        removeUnusedSecrets();
    }

    /** The workers that have an agent service. */
    Set<String> nodes() {
        return Set.copyOf(agents.keySet());
    }

    private Agent start(String node) {
        RelayIdentity identity = ca.issueAgent(AgentIdentity.commonName(node));
        List<SwarmAgentSpec.Secret> secrets = handOver(node, identity);
        try {
            return new Agent(services.create(spec.apply(node, secrets)),
                    secrets.stream().map(SwarmAgentSpec.Secret::id).toList());
        } catch (RuntimeException e) {
            secrets.forEach(s -> unusedSecrets.add(s.id()));
            throw e;
        }
    }

    private List<SwarmAgentSpec.Secret> handOver(String node, RelayIdentity identity) {
        Path dir;
        try {
            dir = Files.createTempDirectory("logomesh-agent-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<SwarmAgentSpec.Secret> secrets = new ArrayList<>();
        try {
            identity.writeTo(dir.resolve("id"));
            String generation = UUID.randomUUID().toString().substring(0, 8);
            for (String file : List.of(RelayIdentity.KEY_FILE, RelayIdentity.CERT_FILE, RelayIdentity.CA_FILE)) {
                String name = SwarmAgentSpec.NAME + node + "-" + generation + "-" + file;
                String id = services.createSecret(name, Files.readAllBytes(dir.resolve("id").resolve(file)),
                        Map.of(ContainerLabels.HOST, hostId, SwarmAgentSpec.NODE_LABEL, node));
                secrets.add(new SwarmAgentSpec.Secret(id, name, file));
            }
            return secrets;
        } catch (IOException | RuntimeException e) {
            secrets.forEach(s -> unusedSecrets.add(s.id()));
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.warnf("cannot remove %s: %s", dir, e.getMessage());
            }
        }
    }

    private void removeUnusedSecrets() {
        for (String id : List.copyOf(unusedSecrets)) {
            try {
                services.removeSecret(id);
                unusedSecrets.remove(id);
            } catch (RuntimeException e) {
                LOG.debugf("secret %s: %s", id, e.getMessage()); // in use until its service's tasks are gone
            }
        }
    }

    @Override
    public synchronized void close() {
        agents.values().forEach(agent -> {
            try {
                services.remove(agent.serviceId());
            } catch (RuntimeException e) {
                LOG.debugf("agent service %s: %s", agent.serviceId(), e.getMessage());
            }
            unusedSecrets.addAll(agent.secretIds());
        });
        agents.clear();
        removeUnusedSecrets();
    }
}
