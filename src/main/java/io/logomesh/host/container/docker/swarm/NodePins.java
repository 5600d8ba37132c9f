package io.logomesh.host.container.docker.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which node holds each {@code fileSystemAccess} plugin's {@code /data} (cluster mode): its first placement picks a
 * node and records it here, and every later start of its service is constrained to that node
 * ({@code node.id==<node>}), so it always comes back to its data. Kept in {@code <data dir>/cluster/pins.json}
 * ({@code {"<plugin id>": "<node id>"}}, written whole and atomically, 0600), so pins survive a restart of the host;
 * a pin goes only when its plugin is uninstalled. A file that cannot be read stops the host rather than forgetting
 * where data is.
 */
public final class NodePins {

    /** The file's name under the host's cluster folder. */
    public static final String FILE = "pins.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9]{25}");

    private final Path file;
    private final Map<String, String> pins = new TreeMap<>();

    private NodePins(Path file) {
        this.file = file;
    }

    /**
     * The pins kept in {@code folder}/{@value #FILE} (none when the file does not exist yet).
     *
     * @throws IllegalStateException when the file exists and is not a map of plugin ids to node ids
     */
    public static NodePins load(Path folder) {
        NodePins p = new NodePins(folder.resolve(FILE));
        if (!Files.exists(p.file, LinkOption.NOFOLLOW_LINKS)) {
            return p;
        }
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(p.file));
            if (root == null || !root.isObject()) {
                throw new IllegalStateException(p.file + " is not a JSON object of plugin id to node id");
            }
            root.properties().forEach(e -> {
                if (!e.getValue().isTextual() || !NODE_ID.matcher(e.getValue().asText()).matches()) {
                    throw new IllegalStateException(p.file + ": plugin " + e.getKey() + " is pinned to no node id: "
                            + e.getValue());
                }
                p.pins.put(e.getKey(), e.getValue().asText());
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p.file + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** The node holding the plugin's data, if it was placed once. */
    public synchronized Optional<String> nodeOf(String pluginId) {
        return Optional.ofNullable(pins.get(pluginId));
    }

    /** Every pin: plugin id → node id. */
    public synchronized Map<String, String> all() {
        return Map.copyOf(pins);
    }

    /** Records that the plugin's data is on {@code nodeId}, on disk before it returns. */
    public synchronized void pin(String pluginId, String nodeId) {
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("not a swarm node id: " + nodeId);
        }
        String before = pins.put(pluginId, nodeId);
        if (nodeId.equals(before)) {
            return;
        }
        try {
            save();
        } catch (RuntimeException e) {
            if (before == null) {
                pins.remove(pluginId);
            } else {
                pins.put(pluginId, before);
            }
            throw e;
        }
    }

    /** Forgets the plugin's pin (it was uninstalled). */
    public synchronized void unpin(String pluginId) {
        if (pins.remove(pluginId) != null) {
            save();
        }
    }

    /**
     * The node a plugin placed for the first time pins its data to: of the {@code candidates} (the workers that are
     * ready, active and whose agent is linked), the one holding the fewest pinned plugins, then by id.
     */
    public synchronized Optional<String> choose(Collection<String> candidates) {
        Map<String, Long> held = pins.values().stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
        return candidates.stream().min(Comparator.comparing((String n) -> held.getOrDefault(n, 0L))
                .thenComparing(Comparator.naturalOrder()));
    }

    private void save() {
        ObjectNode root = JSON.createObjectNode();
        pins.forEach(root::put);
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
