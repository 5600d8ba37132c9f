package io.logomesh.host.ipc.relay;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Routes every plugin to one socket (or refuses all), recording what it was asked. */
final class RecordingRoute implements RelayRoute {

    record Call(String pluginId, String nodeId, String agentCommonName) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Path socket;
    volatile boolean refuse;

    RecordingRoute(Path socket) {
        this.socket = socket;
    }

    @Override
    public Optional<Path> socketFor(String pluginId, String nodeId, String agentCommonName) {
        calls.add(new Call(pluginId, nodeId, agentCommonName));
        return refuse ? Optional.empty() : Optional.of(socket);
    }
}
