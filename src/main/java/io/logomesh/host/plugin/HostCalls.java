package io.logomesh.host.plugin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The table of plugin → host methods: which {@link HostCallHandler} serves which method name.
 * Built once, on first use; two handlers claiming one method is a programming error.
 */
@ApplicationScoped
public class HostCalls {

    private final Iterable<HostCallHandler> beans;
    private volatile Table table;

    @Inject
    public HostCalls(Instance<HostCallHandler> beans) {
        this.beans = beans;
    }

    /** A fixed set of handlers (tests, and hosts assembled without CDI). */
    public HostCalls(Iterable<HostCallHandler> handlers) {
        this.beans = handlers;
    }

    Optional<HostCallHandler> forRequest(String method) {
        return Optional.ofNullable(table().requests.get(method));
    }

    Optional<HostCallHandler> forNotification(String method) {
        return Optional.ofNullable(table().notifications.get(method));
    }

    private Table table() {
        Table t = table;
        if (t == null) {
            synchronized (this) {
                if (table == null) {
                    table = Table.of(beans);
                }
                t = table;
            }
        }
        return t;
    }

    private record Table(Map<String, HostCallHandler> requests, Map<String, HostCallHandler> notifications) {
        static Table of(Iterable<HostCallHandler> handlers) {
            Map<String, HostCallHandler> requests = new HashMap<>();
            Map<String, HostCallHandler> notifications = new HashMap<>();
            for (HostCallHandler h : handlers) {
                h.requests().forEach(m -> claim(requests, m, h));
                h.notifications().forEach(m -> claim(notifications, m, h));
            }
            return new Table(Map.copyOf(requests), Map.copyOf(notifications));
        }

        private static void claim(Map<String, HostCallHandler> map, String method, HostCallHandler h) {
            HostCallHandler other = map.putIfAbsent(method, h);
            if (other != null) {
                throw new IllegalStateException("plugin → host method '" + method + "' is claimed by both "
                        + other.getClass().getSimpleName() + " and " + h.getClass().getSimpleName());
            }
        }
    }
}
