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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which node holds each {@code fileSystemAccess} plugin's {@code /data} (cluster mode): its first placement picks a
 * node and records it here, and every later start of its service is constrained to that node
 * ({@code node.id==<node>}), so it always comes back to its data. A pin goes only when its plugin is uninstalled;
 * if its node was away then, the node still owes that plugin's folder a deletion, kept here too until its agent
 * links again and deletes it. Kept in {@code <data dir>/cluster/pins.json} ({@code {"pins": {"<plugin id>": "<node
 * id>"}, "owed": [{"plugin", "node"}]}}, written whole and atomically, 0600), so both survive a restart of the host.
 * A file that cannot be read stops the host rather than forgetting where data is.
 */
public final class NodePins {

    /** The file's name under the host's cluster folder. */
    public static final String FILE = "pins.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9]{25}");

    private final Path file;
    private final Map<String, String> pins = new TreeMap<>();
    private final Set<Owed> owed = new TreeSet<>(Comparator.comparing(Owed::plugin).thenComparing(Owed::node));

    /**
     * A deletion a node owes: the data folder of an uninstalled plugin, left there because the node was away.
     *
     * @param plugin the plugin's id
     * @param node   the node's id
     */
    public record Owed(String plugin, String node) {
    }

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
            if (root == null || !root.path("pins").isObject() || !root.path("owed").isArray()) {
                throw new IllegalStateException(p.file + " is not {\"pins\": {plugin: node}, \"owed\": [...]}");
            }
            root.path("pins").properties().forEach(e -> p.pins.put(e.getKey(), node(p.file, e.getKey(), e.getValue())));
            root.path("owed").forEach(o -> p.owed.add(new Owed(o.path("plugin").asText(""),
                    node(p.file, o.path("plugin").asText(""), o.path("node")))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p.file + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static String node(Path file, String plugin, JsonNode node) {
        if (!node.isTextual() || !NODE_ID.matcher(node.asText()).matches()) {
            throw new IllegalStateException(file + ": plugin " + plugin + " names no node id: " + node);
        }
        return node.asText();
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
        Owed settled = new Owed(pluginId, nodeId);
        boolean wasOwed = owed.remove(settled); // its first placement there emptied that folder: nothing is owed
        if (nodeId.equals(before) && !wasOwed) {
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
            if (wasOwed) {
                owed.add(settled);
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

    /** Records that {@code nodeId} still has to delete the data folder of the (uninstalled) plugin. */
    public synchronized void owe(String pluginId, String nodeId) {
        if (owed.add(new Owed(pluginId, nodeId))) {
            save();
        }
    }

    /** The deletions nodes still owe. */
    public synchronized List<Owed> owed() {
        return List.copyOf(owed);
    }

    /** The node deleted the folder it owed. */
    public synchronized void settle(Owed done) {
        if (owed.remove(done)) {
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
        ObjectNode pinned = root.putObject("pins");
        pins.forEach(pinned::put);
        var list = root.putArray("owed");
        owed.forEach(o -> list.addObject().put("plugin", o.plugin()).put("node", o.node()));
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
