package io.logomesh.host.messaging;

import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names each running plugin listens to ({@code ctx.on(name)} sends {@code subscribe},
 * {@code ctx.off(name)} {@code unsubscribe}). Kept per session: forgotten whenever the plugin
 * leaves ACTIVE (a new session subscribes again while it starts).
 */
@ApplicationScoped
public class Subscriptions {

    /** Most names one plugin may listen to. */
    static final int MAX_PER_PLUGIN = 1024;
    static final int MAX_NAME_LENGTH = 200;

    private final Map<String, Set<String>> byPlugin = new ConcurrentHashMap<>();

    void subscribe(String pluginId, String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return;
        }
        Set<String> names = byPlugin.computeIfAbsent(pluginId, id -> ConcurrentHashMap.newKeySet());
        if (names.size() < MAX_PER_PLUGIN) {
            names.add(name);
        }
    }

    void unsubscribe(String pluginId, String name) {
        Set<String> names = byPlugin.get(pluginId);
        if (names != null && name != null) {
            names.remove(name);
        }
    }

    /** Whether the plugin listens to the name. */
    public boolean listens(String pluginId, String name) {
        Set<String> names = byPlugin.get(pluginId);
        return names != null && names.contains(name);
    }

    /** The plugins that listen to the name. */
    public List<String> listeners(String name) {
        return byPlugin.entrySet().stream().filter(e -> e.getValue().contains(name)).map(Map.Entry::getKey).toList();
    }

    void onStateChange(@Observes PluginStateEvent event) {
        if (event.from() == PluginState.ACTIVE || event.to() == PluginState.STARTING
                || event.to() == PluginState.UNINSTALLED) {
            byPlugin.remove(event.pluginId());
        }
    }
}
