package io.logomesh.host.container;

import java.time.Instant;

/**
 * The kernel's OOM killer struck inside a plugin container (any process in it, not only the main one),
 * as the engine's event stream reports it. Fired as a CDI event.
 *
 * @param pluginId    the plugin (from the container's label)
 * @param containerId the container
 * @param at          when the engine saw it
 */
public record ContainerOomEvent(String pluginId, String containerId, Instant at) {
}
