package io.logomesh.host.plugin;

import io.logomesh.host.plugin.restart.PluginRestartEvent;
import io.logomesh.host.plugin.restart.RestartScheduler;

import java.util.function.Consumer;

/**
 * What a {@link PluginHandle} needs from the pool to restart itself: the timer, where to report restart
 * decisions (and moves to another node, which are not restarts), and the dependency check (run under {@code guardLock}) a restart must pass like an activation.
 */
record RestartContext(RestartScheduler scheduler, Consumer<PluginRestartEvent> events, Consumer<PluginHandle> guard,
                      Object guardLock, Consumer<PluginMovedEvent> moves) {

    /** No restarts (a handle built without a pool, e.g. in unit tests). */
    static final RestartContext NONE = new RestartContext(null, e -> { }, h -> { }, new Object(), e -> { });
}
