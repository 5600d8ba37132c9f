package io.logomesh.host.agent;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.logomesh.host.container.docker.ContainerLabels;

import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * This node's engine, as the agent sees it through the engine socket its service mounts: which container runs a
 * plugin's service here (by the swarm's {@code com.docker.swarm.service.id} label), its init process, and the
 * engine's events for plugin containers ({@code start}, {@code oom}, {@code die}); and {@code docker update} of
 * their limits for {@link NodeLimits}.
 */
final class NodeEngine implements NodeContainers, NodeLimits.Engine, AutoCloseable {

    /** The swarm's label on a task's container naming its service. */
    static final String SERVICE_LABEL = "com.docker.swarm.service.id";

    private static final Logger LOG = Logger.getLogger(NodeEngine.class.getName());
    private static final Duration RETRY = Duration.ofSeconds(2);

    /**
     * What the engine said about a plugin container.
     *
     * @param kind        {@code start}, {@code oom} or {@code die}
     * @param pluginId    the plugin (its container's label)
     * @param serviceId   its service (the control plane's container id for it)
     * @param containerId the task's container on this node
     * @param exitCode    the exit status ({@code die}), else 0
     * @param at          when the engine saw it
     */
    record EngineEvent(String kind, String pluginId, String serviceId, String containerId, long exitCode,
                       Instant at) {
    }

    private final DockerClient docker;
    private final Map<String, Long> pids = new ConcurrentHashMap<>();
    private final Map<String, String> byService = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile Closeable stream;

    NodeEngine(DockerClient docker) {
        this.docker = docker;
    }

    /** A client for the engine at {@code address} ({@code unix:///…}). */
    static NodeEngine connect(String address) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(address).build();
        var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .maxConnections(8).connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(30))
                .build();
        return new NodeEngine(DockerClientImpl.getInstance(config, http));
    }

    @Override
    public Optional<String> containerOf(String serviceId) {
        String known = byService.get(serviceId);
        if (known != null) {
            return Optional.of(known);
        }
        List<Container> found = docker.listContainersCmd()
                .withLabelFilter(Map.of(SERVICE_LABEL, serviceId)).withStatusFilter(List.of("running")).exec();
        Optional<String> id = found.stream().map(Container::getId).findFirst();
        id.ifPresent(c -> byService.put(serviceId, c));
        return id;
    }

    @Override
    public void forget(String serviceId, String containerId) {
        byService.remove(serviceId, containerId);
        pids.remove(containerId);
    }

    @Override
    public long pidOf(String containerId) {
        Long known = pids.get(containerId);
        if (known != null) {
            return known;
        }
        long pid;
        try {
            Long seen = docker.inspectContainerCmd(containerId).exec().getState().getPidLong();
            pid = seen == null ? 0L : seen;
        } catch (RuntimeException e) {
            return 0L; // not remembered: a failed inspect is asked again at the next reading
        }
        if (pid > 0) {
            pids.put(containerId, pid);
        }
        return pid;
    }

    /** Follows the engine's events for plugin containers until {@link #close()}, reconnecting when it ends. */
    void follow(Consumer<EngineEvent> sink) {
        while (running) {
            ResultCallback.Adapter<Event> listener = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Event e) {
                    handle(e, sink);
                }
            };
            try {
                docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("start", "oom", "die")
                        .withLabelFilter(ContainerLabels.PLUGIN)
                        .withSince(Long.toString(Instant.now().getEpochSecond())).exec(listener);
                stream = listener;
                listener.awaitCompletion();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.fine("engine events: " + e.getMessage());
            }
            try {
                listener.close();
                Thread.sleep(RETRY.toMillis());
            } catch (Exception e) {
                return;
            }
        }
    }

    private void handle(Event e, Consumer<EngineEvent> sink) {
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        Map<String, String> attrs = e.getActor() == null || e.getActor().getAttributes() == null ? Map.of()
                : e.getActor().getAttributes();
        String plugin = attrs.get(ContainerLabels.PLUGIN);
        String service = attrs.get(SERVICE_LABEL);
        String container = e.getActor() != null && e.getActor().getId() != null ? e.getActor().getId() : e.getId();
        if (action == null || plugin == null || service == null || container == null) {
            return;
        }
        long exit = 0;
        if ("die".equals(action)) {
            pids.remove(container);
            byService.remove(service, container);
            try {
                exit = Long.parseLong(attrs.getOrDefault("exitCode", "0"));
            } catch (NumberFormatException ex) {
                exit = -1;
            }
        }
        try {
            sink.accept(new EngineEvent(action, plugin, service, container, exit, Instant.now()));
        } catch (RuntimeException ex) {
            LOG.warning("reporting " + action + " of " + plugin + " failed: " + ex.getMessage());
        }
    }

    @Override
    public long memoryOf(String containerId) {
        Long memory = docker.inspectContainerCmd(containerId).exec().getHostConfig().getMemory();
        return memory == null ? 0 : memory;
    }

    @Override
    public void update(String containerId, NodeLimits.Update update) {
        var cmd = docker.updateContainerCmd(containerId).withMemory(update.memoryBytes())
                .withMemorySwap(update.memorySwapBytes());
        if (update.nanoCpus() != null) {
            cmd.withNanoCPUs(update.nanoCpus());
        }
        if (update.pidsLimit() != null) {
            cmd.withPidsLimit(update.pidsLimit());
        }
        cmd.exec();
    }

    @Override
    public void close() {
        running = false;
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        try {
            docker.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
