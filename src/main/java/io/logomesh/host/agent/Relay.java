package io.logomesh.host.agent;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/** Relays one plugin connection to the control plane. */
interface Relay {

    /**
     * Opens the control plane's side for the plugin and starts copying both ways.
     *
     * @param pluginId the post's name: the plugin id, or {@code <id>.next} for its {@code next} slot
     *                 ({@link io.logomesh.host.container.docker.swarm.PluginSlot#folderName()})
     * @param onClosed called once when the relay has ended, with what this returned
     * @return what closes the relay (both connections)
     * @throws IOException when the control plane cannot be reached or refuses
     */
    AutoCloseable open(String pluginId, SocketChannel plugin, Consumer<AutoCloseable> onClosed) throws IOException;
}
