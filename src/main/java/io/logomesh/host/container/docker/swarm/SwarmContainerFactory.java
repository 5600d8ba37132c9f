package io.logomesh.host.container.docker.swarm;

import java.util.Locale;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.logomesh.host.EngineReason;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.container.docker.ContainerLabels;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Starts plugins as swarm services (cluster mode, docs/cluster.md): the plugin's code is handed to every node
 * first ({@link PluginNodes}: each node's agent fills its code folder and opens its socket), then its service
 * is created from {@link SwarmServiceSpec}, its image named by the id this host's engine has for it (the same on
 * every node: images are copied, never pulled). The plugin connects through its node's agent and the relay, as
 * the host's own uid; the agent checked the plugin's uid on the node ({@link #remote()}). A plugin with
 * {@code fileSystemAccess} is pinned to the node holding its {@code /data} ({@link PinnedData}). No prewarmed cells:
 * they are containers of this host's engine. A start is for one {@link PluginSlot} of the plugin (its spec's IPC
 * folder says which): an upgrade starts the new version in the other slot while the running one keeps its own
 * (both slots of a pinned plugin are on its node and share its data folder).
 */
public final class SwarmContainerFactory implements ContainerFactory {

    private static final Logger LOG = Logger.getLogger(SwarmContainerFactory.class);
    /** How long the nodes may take to prepare a plugin. */
    static final Duration PREPARE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a start waits for the service's task to run (then the activation's own deadline goes on). */
    static final Duration PLACED_WAIT = Duration.ofSeconds(15);
    static final Duration PLACED_POLL = Duration.ofMillis(50);
    /** At most this many files, and bytes, of a plugin's code are handed to the nodes. */
    static final int MAX_FILES = 4096;
    static final long MAX_BYTES = 64L << 20;
    /** The egress proxy's socket in a plugin's IPC folder (the egress package's {@code EgressEndpoint.SOCKET_NAME}). */
    static final String EGRESS_SOCKET = "egress.sock";

    private final SwarmServices services;
    private final PluginNodes nodes;
    private final NodeFolders folders;
    private final DockerClient local;
    private final String hostId;
    private final PinnedData data;

    /**
     * @param local this host's engine, whose image ids name the runtime images on every node
     * @param pins  which node holds each plugin's {@code /data}
     */
    public SwarmContainerFactory(SwarmServices services, PluginNodes nodes, NodeFolders folders, DockerClient local,
                                 String hostId, NodePins pins) {
        this.services = services;
        this.nodes = nodes;
        this.folders = folders;
        this.local = local;
        this.hostId = hostId;
        this.data = new PinnedData(services::workers, nodes, pins);
    }

    @Override
    public PluginContainer start(ContainerSpec spec) {
        String imageId = imageId(spec.image());
        Optional<String> pinned = spec.dataDir().isPresent()
                ? Optional.of(data.place(spec.pluginId(), spec.uid())) : Optional.empty();
        PluginSlot slot = PluginSlot.of(spec);
        nodes.prepare(slot, spec.uid(), code(spec.codeDir()), holdsEgress(spec, slot), PREPARE_TIMEOUT);
        removeStale(slot);
        String serviceId = services.create(SwarmServiceSpec.of(spec, imageId, folders, hostId, pinned));
        LOG.infof("plugin %s: service %s created", slot, serviceId);
        SwarmPluginContainer container = new SwarmPluginContainer(services, nodes, serviceId, slot);
        if (pinned.isPresent()) {
            container.pinned();
        }
        awaitPlaced(container, serviceId, spec.image());
        return container;
    }

    /**
     * Whether the plugin gets an egress socket on its node: the control plane's egress proxy opened one for it in
     * its IPC folder here (the permission service does so as the plugin starts while holding {@code network},
     * before its container is started), to which the node's socket is relayed. A new version started beside the
     * running one (the other {@link PluginSlot}) gets one when the running one has one: the proxy moves its socket
     * into the new version's folder at the switch (as on a single host), and relays nothing to it before.
     */
    private static boolean holdsEgress(ContainerSpec spec, PluginSlot slot) {
        Path other = spec.ipcDir().resolveSibling(new PluginSlot(slot.pluginId(), !slot.next()).folderName());
        return Files.exists(spec.ipcDir().resolve(EGRESS_SOCKET), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(other.resolve(EGRESS_SOCKET), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Waits, at most {@link #PLACED_WAIT}, until a task of the service runs, and fails the start at once, saying
     * why, when a node rejects it for its image (a worker without the runtime image; it is never pulled): the
     * plugin fails with the node's reason instead of waiting out its activation timeout. Any other rejection
     * (e.g. a node that was not prepared) is left to the swarm, which places the task again.
     */
    private void awaitPlaced(SwarmPluginContainer container, String serviceId, String image) {
        long end = System.nanoTime() + PLACED_WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (ServiceTask task : services.tasks(serviceId)) {
                if (task.running()) {
                    task.nodeId().ifPresent(container::placedOn);
                    return;
                }
                Optional<String> refusal = imageRefusal(task, image);
                if (refusal.isPresent()) {
                    LOG.warnf("service %s: task %s %s: %s", serviceId, task.id(), task.state(), logLine(task));
                    container.remove();
                    throw new ContainerLaunchException(refusal.get());
                }
            }
            try {
                Thread.sleep(PLACED_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The API's message for a task a node rejected (or failed) for its image, if this one was: the manager's error
     * only as the engine's sentence ({@link EngineReason}: no JSON, no class names, bounded), the raw one logged.
     */
    static Optional<String> imageRefusal(ServiceTask task, String image) {
        String error = task.error().orElse("");
        if (!("rejected".equals(task.state()) || "failed".equals(task.state()))
                || !error.toLowerCase(Locale.ROOT).contains("image")) {
            return Optional.empty();
        }
        return Optional.of("a swarm node rejected the plugin's task: " + EngineReason.of(error)
                + " (load " + image + " on every worker: images are never pulled)");
    }

    /** The manager's error for a task, for a log line: one line, at most 300 characters. */
    private static String logLine(ServiceTask task) {
        String flat = task.error().orElse("").replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…(cut)";
    }

    @Override
    public PluginContainer startCell(ContainerSpec spec, String pool) {
        throw new ContainerLaunchException("no prewarmed cells in cluster mode (set logomesh.prewarm.<runtime>.size=0)");
    }

    /** Its data folder on its node is deleted and its pin dropped (best effort: a node that is away keeps it). */
    @Override
    public void released(String pluginId) {
        data.release(pluginId);
    }

    /** Nodes that were away at an uninstall delete the data folders they still hold, once their agent is linked. */
    public void settleReleases() {
        data.settleOwed();
    }

    /** Plugins connect through a node agent and the relay, which dials the endpoint as the host's own uid. */
    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public int removeLeftovers(Set<String> keep) {
        int removed = 0;
        for (var service : services.servicesOf(hostId).entrySet()) {
            String plugin = service.getValue().get(ContainerLabels.PLUGIN);
            if (plugin != null && !keep.contains(plugin)) {
                services.remove(service.getKey());
                removed++;
            }
        }
        if (removed > 0) {
            LOG.infof("removed %d leftover plugin service(s) of host %s", removed, hostId);
        }
        return removed;
    }

    @Override
    public boolean imageExists(String image) {
        try {
            local.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    private String imageId(String image) {
        return imageIdOn(local, image);
    }

    /** The id an engine has for an image (a service names it by id; the ids are the same on every node). */
    static String imageIdOn(DockerClient local, String image) {
        try {
            return local.inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            throw new ContainerLaunchException("image " + image + " is missing on the control plane's engine"
                    + " (run: make images, or deploy/build-image.sh for the agents' image; the workers need it too)");
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
    }

    /**
     * A service of this plugin's slot left by an earlier start (or a crash of the host): removed before the new one.
     * The other slot's service is left alone: during an upgrade it is the version that serves.
     */
    private void removeStale(PluginSlot slot) {
        services.servicesOf(hostId).forEach((id, labels) -> {
            if (PluginSlot.ofLabels(labels).filter(slot::equals).isPresent()) {
                services.remove(id);
            }
        });
    }

    /** The plugin's code folder as relative path → bytes, regular files only, bounded. */
    static Map<String, byte[]> code(Path dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long total = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                total += Files.size(p);
                if (files.size() >= MAX_FILES || total > MAX_BYTES) {
                    throw new ContainerLaunchException("the plugin's code is larger than cluster mode carries ("
                            + MAX_FILES + " files, " + MAX_BYTES + " bytes)");
                }
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plugin's code folder", e);
        }
        return files;
    }
}
