package io.logomesh.host.cluster;

import io.logomesh.host.container.ContainerExit;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How plugin services' containers ended, as the node agents report their engines' {@code oom} and {@code die}
 * events: a container the OOM killer struck ends {@code oom}, else {@code exited:<code>}. Bounded: at most
 * {@link #MAX} services are remembered, each for {@link #KEEP} (long enough for the host to ask, after the
 * plugin's connection ended).
 */
final class NodeExits {

    static final int MAX = 4096;
    static final Duration KEEP = Duration.ofMinutes(2);

    private record Ended(ContainerExit exit, long atNanos) {
    }

    private final Map<String, Ended> byService = new ConcurrentHashMap<>();
    private final Set<String> oomContainers = ConcurrentHashMap.newKeySet();

    /** The OOM killer struck in the container (it may still run: a child was killed). */
    void oom(String containerId) {
        if (oomContainers.size() < MAX) {
            oomContainers.add(containerId);
        }
    }

    /** The service's container ended with {@code exitCode}. */
    void died(String serviceId, String containerId, long exitCode) {
        long now = System.nanoTime();
        if (byService.size() >= MAX) {
            byService.entrySet().removeIf(e -> now - e.getValue().atNanos() > KEEP.toNanos());
        }
        if (byService.size() < MAX) {
            byService.put(serviceId, new Ended(new ContainerExit(false, exitCode, oomContainers.remove(containerId)),
                    now));
        }
    }

    /** How the service's container ended, if one of its containers ended within {@link #KEEP}. */
    Optional<ContainerExit> of(String serviceId) {
        Ended e = byService.get(serviceId);
        if (e == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - e.atNanos() > KEEP.toNanos()) {
            byService.remove(serviceId, e);
            return Optional.empty();
        }
        return Optional.of(e.exit());
    }
}
