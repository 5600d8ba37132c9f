package io.logomesh.host.action;

import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test observer: keeps every state change, so tests can count container replacements. */
@ApplicationScoped
public class StateRecorder {

    private final List<PluginStateEvent> events = new CopyOnWriteArrayList<>();

    void on(@Observes PluginStateEvent event) {
        events.add(event);
    }

    /** How often the plugin's container was replaced (ACTIVE → STARTING, the host's own restart). */
    public long replacements(String pluginId) {
        return events.stream().filter(e -> e.pluginId().equals(pluginId) && e.from() == PluginState.ACTIVE
                && e.to() == PluginState.STARTING).count();
    }
}
