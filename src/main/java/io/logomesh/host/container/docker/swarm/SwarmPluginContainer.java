package io.logomesh.host.container.docker.swarm;

import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.ContainerPlacement;
import io.logomesh.host.container.PluginContainer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A plugin's swarm service, seen as its container. Its id is the service's: the swarm may replace the task (and
 * its container) under it, on the same node or another, and the plugin stays the same. Stopping, killing and
 * removing all remove the service (the swarm stops its task with it) and have the nodes forget the folders of its
 * {@link PluginSlot} (the other slot's, a version started beside it, stay); a rename changes nothing (the service
 * keeps its slot's name). It remembers the node its task was placed on ({@link #placement()}), so that a task the swarm
 * moved off a lost node can be told from one that ended.
 */
final class SwarmPluginContainer implements PluginContainer {

    private static final Logger LOG = Logger.getLogger(SwarmPluginContainer.class);
    private static final Set<String> STARTING = Set.of("new", "allocated", "pending", "assigned", "accepted",
            "preparing", "ready", "starting", "running");
    private static final long POLL_MILLIS = 200;
    /** Desired states of a task the swarm means to run (a replacement is "ready" during the restart delay). */
    private static final Set<String> MEANT = Set.of("ready", "running");

    private final SwarmServices services;
    private final PluginNodes nodes;
    private final String serviceId;
    private final PluginSlot slot;
    private volatile boolean removed;
    /** The node the service's task ran on when it was placed (or last moved); null before. */
    private volatile String node;
    private volatile boolean pinned;

    SwarmPluginContainer(SwarmServices services, PluginNodes nodes, String serviceId, PluginSlot slot) {
        this.services = services;
        this.nodes = nodes;
        this.serviceId = serviceId;
        this.slot = slot;
    }

    @Override
    public String id() {
        return serviceId;
    }

    /** The service's task runs on {@code nodeId} (its start saw it running there). */
    void placedOn(String nodeId) {
        this.node = nodeId;
    }

    /** The service is pinned to the node holding the plugin's {@code /data}: its task can run nowhere else. */
    void pinned() {
        this.pinned = true;
    }

    /**
     * Asks the manager for the service's tasks and the nodes' state (two calls) and the node links whether the node
     * the task ran on is still there; a manager that does not answer makes the service look gone (not live), so the
     * host ends the plugin as it would without this.
     */
    @Override
    public Optional<ContainerPlacement> placement() {
        String ranOn = node == null ? "" : node;
        List<ServiceTask> tasks;
        boolean ready;
        try {
            tasks = services.tasks(serviceId);
            WorkerStatus worker = ranOn.isEmpty() ? null : services.workers().get(ranOn);
            ready = worker != null && "ready".equals(worker.state());
        } catch (RuntimeException e) {
            LOG.debugf("plugin %s: the manager did not say where service %s runs: %s", slot, serviceId, e.getMessage());
            return Optional.of(new ContainerPlacement(ranOn, false, false, false, Optional.empty()));
        }
        boolean lost = !ranOn.isEmpty() && (!ready || !nodes.linked().contains(ranOn)); // unknown: not lost
        // a task meant to run, or its replacement waiting out the restart delay (desired "ready"); a service pinned
        // to the lost node has none the swarm can run: it is not waited for
        boolean live = !removed && !(pinned && lost) && tasks.stream().anyMatch(t -> MEANT.contains(t.desiredState()));
        return Optional.of(new ContainerPlacement(ranOn, lost, nodes.exitOf(serviceId).isPresent(), live,
                runningOn(tasks)));
    }

    @Override
    public Optional<String> resettle() {
        Optional<String> now;
        try {
            now = runningOn(services.tasks(serviceId));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        now.ifPresent(n -> node = n);
        return now;
    }

    private static Optional<String> runningOn(List<ServiceTask> tasks) {
        return tasks.stream().filter(ServiceTask::running).map(ServiceTask::nodeId).flatMap(Optional::stream)
                .findFirst();
    }

    @Override
    public void stop(Duration grace) {
        remove();
    }

    @Override
    public void rename(String name) {
        // the service is named logomesh-<id> once and for all
    }

    @Override
    public void remove() {
        if (removed) {
            return;
        }
        removed = true;
        try {
            services.remove(serviceId);
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: removing its service %s failed: %s", slot, serviceId, e.getMessage());
        }
        try {
            nodes.forget(slot);
        } catch (RuntimeException e) {
            LOG.debugf("plugin %s: the nodes did not all forget it: %s", slot, e.getMessage());
        }
    }

    /**
     * Ended as the node's engine reported it (exit status, OOM kill) once a container of the service ended; else
     * running while the service has a task that is starting or runs and is meant to, ended with the newest task's
     * exit once none has; empty once the service is gone.
     */
    @Override
    public Optional<ContainerExit> awaitExit(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ServiceTask> tasks;
            try {
                tasks = services.tasks(serviceId);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
            if (removed || tasks.isEmpty()) {
                return Optional.empty();
            }
            Optional<ContainerExit> reported = nodes.exitOf(serviceId);
            if (reported.isPresent()) {
                return reported; // its node's engine saw a container of it end (the swarm may already start another)
            }
            boolean alive = tasks.stream().anyMatch(t -> "running".equals(t.desiredState()) && STARTING.contains(t.state()));
            if (!alive) {
                return Optional.of(new ContainerExit(false, tasks.getFirst().exitCode(), false));
            }
            if (System.nanoTime() >= end) {
                return Optional.of(new ContainerExit(true, 0, false));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of(new ContainerExit(true, 0, false));
            }
        }
    }
}
