package io.logomesh.host.egress;

import io.logomesh.host.manifest.HostPattern;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.config.HostConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The host's egress proxy: one {@link EgressEndpoint} per plugin that holds {@code network}, opened and
 * closed and given its allow-list by the permission service (the one authority on what a plugin holds).
 * Every connection becomes one {@code egress} audit record (plugin, destination, address, pattern,
 * outcome and reason, bytes each way) through the audit trail, whose bounds and refusal limiter apply;
 * and counts in {@code logomesh_egress_connections_total{plugin,outcome}} and
 * {@code logomesh_egress_bytes_total{plugin,direction}}. One virtual thread sweeps idle and overlong
 * connections every 500 ms.
 */
@ApplicationScoped
public class EgressService {

    private static final Logger LOG = Logger.getLogger(EgressService.class);
    private static final long SWEEP_MILLIS = 500;
    private static final long HOST_ADDRESSES_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How many connect attempts {@link #attempts()} remembers. */
    static final int ATTEMPTS_KEPT = 256;

    private final HostConfig.Egress config;
    /** Cluster mode: the plugins' egress connections come relayed by their nodes' agents (docs/cluster.md). */
    private final boolean relayed;
    private final Event<AuditEvent> audit;
    private final MeterRegistry registry;
    private final Map<String, EgressEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Deque<InetSocketAddress> attempts = new ArrayDeque<>();
    private volatile EgressResolver resolver = EgressResolver.system();
    private volatile Set<InetAddress> hostAddresses = Set.of();
    private volatile long hostAddressesAt;
    private volatile boolean running = true;

    @Inject
    public EgressService(HostConfig config, Event<AuditEvent> audit, MeterRegistry registry) {
        this.config = config.egress();
        this.relayed = "swarm".equals(config.cluster().mode());
        this.audit = audit;
        this.registry = registry;
    }

    @PostConstruct
    void startSweeper() {
        Thread.ofVirtual().name("egress-sweeper").start(this::sweepLoop);
    }

    /** Whether the operator lets exact patterns reach private and loopback addresses. */
    public boolean allowPrivate() {
        return config.allowPrivate();
    }

    /**
     * Opens the plugin's {@code egress.sock} in {@code ipcFolder} with {@code patterns}, or, when it is open there,
     * replaces its allow-list (open connections it no longer allows are cut); open in another folder (the plugin
     * moved to or from a prewarmed cell), it is closed there first. In cluster mode the socket accepts this host's
     * own uid instead of {@code uid}: the relay connects to it for the plugin's node agent (docs/cluster.md).
     */
    public void open(String pluginId, Path ipcFolder, int uid, List<HostPattern> patterns) {
        EgressPolicy policy = new EgressPolicy(patterns, config.allowPrivate());
        EgressEndpoint existing = endpoints.get(pluginId);
        if (existing != null && existing.isOpen()) {
            if (existing.socketPath().toAbsolutePath().getParent().equals(ipcFolder.toAbsolutePath())) {
                existing.update(policy);
                LOG.infof("plugin %s: egress allow-list now %s", pluginId, patterns);
                return;
            }
            close(pluginId, "moved to " + ipcFolder.getFileName()); // its runtime speaks in another folder now
        }
        // in cluster mode the plugin runs on a worker: its node's agent accepts on the plugin's egress.sock there (as
        // the plugin's uid alone) and the relay connects here as this host's own uid, naming the plugin by that socket
        int peer = relayed ? io.logomesh.host.ipc.OwnedSocket.ownUid() : uid;
        EgressEndpoint endpoint = EgressEndpoint.open(pluginId, ipcFolder, peer, policy, EgressLimits.from(config),
                name -> resolver.resolve(name), this::connect, this::hostAddresses, this::record);
        endpoints.put(pluginId, endpoint);
        LOG.infof("plugin %s: egress open at %s (%d patterns)", pluginId, endpoint.socketPath(), patterns.size());
    }

    /** Replaces the allow-list of an open endpoint; false when the plugin has none open. */
    public boolean update(String pluginId, List<HostPattern> patterns) {
        EgressEndpoint endpoint = endpoints.get(pluginId);
        if (endpoint == null || !endpoint.isOpen()) {
            return false;
        }
        endpoint.update(new EgressPolicy(patterns, config.allowPrivate()));
        return true;
    }

    /** Closes the plugin's {@code egress.sock} and cuts its open connections; false when none was open. */
    public boolean close(String pluginId, String reason) {
        EgressEndpoint endpoint = endpoints.remove(pluginId);
        if (endpoint == null) {
            return false;
        }
        endpoint.close(reason);
        LOG.infof("plugin %s: egress closed (%s)", pluginId, reason);
        return true;
    }

    /** The plugin's open endpoint. */
    public Optional<EgressEndpoint> endpoint(String pluginId) {
        return Optional.ofNullable(endpoints.get(pluginId)).filter(EgressEndpoint::isOpen);
    }

    /**
     * The last {@value #ATTEMPTS_KEPT} addresses the proxy tried to connect to, oldest first: what it
     * actually reached out to, so a test can show that a refused destination was never attempted.
     */
    public List<InetSocketAddress> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** Replaces the resolver (a test's seam: names the test controls, without any DNS). */
    public void useResolver(EgressResolver next) {
        resolver = next == null ? EgressResolver.system() : next;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        running = false;
        endpoints.keySet().forEach(id -> close(id, "host shutting down"));
    }

    private SocketChannel connect(InetSocketAddress address, java.time.Duration timeout) throws java.io.IOException {
        synchronized (attempts) {
            if (attempts.size() == ATTEMPTS_KEPT) {
                attempts.removeFirst();
            }
            attempts.addLast(address);
        }
        return EgressConnector.tcp().connect(address, timeout);
    }

    /** The host's own addresses (every interface's), refreshed every 30 s. */
    Set<InetAddress> hostAddresses() {
        long now = System.nanoTime();
        if (hostAddressesAt == 0 || now - hostAddressesAt > HOST_ADDRESSES_TTL_NANOS) {
            Set<InetAddress> found = new HashSet<>();
            try {
                for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                    nic.inetAddresses().forEach(a -> found.add(a instanceof java.net.Inet6Address v6
                            && v6.getScopeId() != 0 ? withoutScope(v6) : a));
                }
            } catch (SocketException e) {
                LOG.warnf("cannot list the host's addresses: %s", e.getMessage());
            }
            hostAddresses = Set.copyOf(found);
            hostAddressesAt = now;
        }
        return hostAddresses;
    }

    private static InetAddress withoutScope(java.net.Inet6Address a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            return a;
        }
    }

    private void record(EgressRecord r) {
        ObjectNode details = AuditEvent.newDetails().put("kind", r.kind());
        if (r.destination() != null) {
            details.put("destination", r.destination());
        }
        if (r.address() != null) {
            details.put("address", r.address());
        }
        if (r.pattern() != null) {
            details.put("pattern", r.pattern());
        }
        details.put("reason", r.reason()).put("bytesOut", r.bytesOut()).put("bytesIn", r.bytesIn())
                .put("durationMs", r.durationMs());
        audit.fire(AuditEvent.of("egress", r.pluginId(), AuditEvent.plugin(r.pluginId()), r.outcome(), details));
        Counter.builder("logomesh_egress_connections_total").description("Connections plugins opened through the "
                + "egress proxy, by outcome (ok, refused, failed, cut)").tag("plugin", r.pluginId())
                .tag("outcome", r.outcome()).register(registry).increment();
        if (r.bytesOut() > 0) {
            bytes(r.pluginId(), "out").increment(r.bytesOut());
        }
        if (r.bytesIn() > 0) {
            bytes(r.pluginId(), "in").increment(r.bytesIn());
        }
        if (!EgressRecord.OK.equals(r.outcome())) {
            LOG.debugf("plugin %s: egress %s %s: %s", r.pluginId(), r.outcome(), r.destination(), r.reason());
        }
    }

    private Counter bytes(String pluginId, String direction) {
        return Counter.builder("logomesh_egress_bytes_total").description("Bytes relayed by the egress proxy "
                + "(out: from the plugin, in: to the plugin)").tag("plugin", pluginId)
                .tag("direction", direction).register(registry);
    }

    private void sweepLoop() {
        while (running) {
            try {
                Thread.sleep(SWEEP_MILLIS);
                long now = System.nanoTime();
                endpoints.values().forEach(e -> e.sweep(now));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "egress sweep failed");
            }
        }
    }
}
