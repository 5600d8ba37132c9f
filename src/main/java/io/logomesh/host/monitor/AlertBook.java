package io.logomesh.host.monitor;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The alerts of every plugin, newest last, a bounded number per plugin, with acknowledged flags. */
public final class AlertBook {

    private final int keptPerPlugin;
    private final Map<String, Deque<Alert>> byPlugin = new ConcurrentHashMap<>();

    public AlertBook(int keptPerPlugin) {
        this.keptPerPlugin = Math.max(1, keptPerPlugin);
    }

    public Alert add(String pluginId, AlertCondition c, Instant at) {
        Alert alert = new Alert(UUID.randomUUID().toString(), pluginId, c.type(), c.severity(), c.message(),
                c.current(), c.limit(), at, false);
        Deque<Alert> list = byPlugin.computeIfAbsent(pluginId, id -> new ArrayDeque<>());
        synchronized (list) {
            list.addLast(alert);
            while (list.size() > keptPerPlugin) {
                list.removeFirst();
            }
        }
        return alert;
    }

    public List<Alert> of(String pluginId) {
        Deque<Alert> list = byPlugin.get(pluginId);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** Every plugin's alerts, oldest first; only those with that acknowledged flag when given. */
    public List<Alert> all(Optional<Boolean> acknowledged) {
        List<Alert> out = new ArrayList<>();
        for (String id : byPlugin.keySet()) {
            for (Alert a : of(id)) {
                if (acknowledged.isEmpty() || acknowledged.get() == a.acknowledged()) {
                    out.add(a);
                }
            }
        }
        out.sort(Comparator.comparing(Alert::timestamp));
        return out;
    }

    /** Marks one alert acknowledged. @throws AlertNotFoundException when the plugin has no such alert */
    public Alert acknowledge(String pluginId, String alertId) {
        Deque<Alert> list = byPlugin.get(pluginId);
        if (list != null) {
            synchronized (list) {
                List<Alert> copy = new ArrayList<>(list);
                for (int i = 0; i < copy.size(); i++) {
                    if (copy.get(i).id().equals(alertId)) {
                        Alert acked = copy.get(i).acknowledge();
                        copy.set(i, acked);
                        list.clear();
                        list.addAll(copy);
                        return acked;
                    }
                }
            }
        }
        throw new AlertNotFoundException("plugin '" + pluginId + "' has no alert '" + alertId + "'");
    }

    public void forget(String pluginId) {
        byPlugin.remove(pluginId);
    }
}
