package io.logomesh.host.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.ContainerStatsJson;
import io.logomesh.host.container.docker.swarm.PluginSlot;
import io.logomesh.host.ipc.FrameCodec;
import io.logomesh.host.ipc.FrameDecoder;
import io.logomesh.host.ipc.relay.LimitsOrder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The agent's standing connection to the control plane, over which it is told which plugins to prepare on this
 * node and which to forget. Frames as on a plugin socket (4-byte length, one JSON object, at most
 * {@link #MAX_FRAME} bytes); each order is answered once it is done:
 * <ul>
 *   <li>{@code {"type": "prepare", "pluginId", "uid", "files": {"<relative path>": "<base64>"}, "egress"}} → the
 *       plugin's code folder filled and its socket listening ({@link PluginPosts#prepare}), and with
 *       {@code "egress": true} (a boolean; absent: false) its {@code egress.sock} too; answered {@code prepared} or
 *       {@code failed} with a message;</li>
 *   <li>{@code {"type": "forget", "pluginId"}} → its socket closed and its code and IPC folders removed (its data
 *       folder stays); answered {@code forgotten};</li>
 *   <li>{@code prepare} and {@code forget} with {@code "next": true} (a boolean; absent: false) are for the plugin's
 *       {@code next} slot ({@link PluginSlot}: folder {@code <id>.next}, its own socket and relay header), which an
 *       upgrade starts the new version in beside the running one; the other slot is left as it is;</li>
 *   <li>{@code {"type": "data", "pluginId", "uid", "fresh"}} (only to the node its data is pinned to) → its data
 *       folder made ready for that uid, emptied first with {@code "fresh": true} ({@link DataFiles}); answered
 *       {@code data-ready};</li>
 *   <li>{@code {"type": "release", "pluginId"}} (the plugin was uninstalled) → forgotten, and its data folder
 *       removed; answered {@code released};</li>
 *   <li>{@code {"type": "stats", "pluginId", "serviceId"}} → {@code stats} with {@code "stats"}: the reading of
 *       the service's container on this node ({@link NodeStats}), or {@code absent} when it has none running
 *       here;</li>
 *   <li>{@code {"type": "update", "serviceId", "memoryBytes", "nanoCpus", "pidsLimit"}} ({@link LimitsOrder}) → the
 *       service's container on this node given those limits ({@link NodeLimits#apply}); answered {@code updated},
 *       {@code absent} when it has none running here, or {@code failed} with the engine's reason;</li>
 *   <li>{@code {"type": "ping", "pluginId": ""}} (every second) → {@code pong}: a link silent for seconds is
 *       closed by the control plane.</li>
 * </ul>
 * Each answer carries the order's {@code ref} back. Unasked, the agent sends {@code {"type": "event", "kind":
 * "start"|"oom"|"die", "pluginId", "serviceId", "containerId", "exitCode"}} for what this node's engine saw
 * ({@link #push}); an event while no link is up is dropped (the control plane sees the exit as its connection
 * ending anyway).
 * Lost, it reconnects with a growing pause (at most {@link #MAX_PAUSE}); the plugins already prepared stay.
 */
final class ControlLink {

    /** The largest frame on the control link (a plugin's code, in base64, fits). */
    static final int MAX_FRAME = 96 << 20;
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    /** The longest failure message an answer carries. */
    static final int MAX_MESSAGE = 1024;

    private static final Logger LOG = Logger.getLogger(ControlLink.class.getName());

    /** Opens a connection to the control plane that speaks for this node's control link. */
    interface Connector {
        Socket connect() throws IOException;
    }

    private final Connector connector;
    private final PluginPosts posts;
    private final ObjectMapper mapper = new ObjectMapper();
    private final FrameCodec codec = new FrameCodec(mapper, MAX_FRAME);
    private final Optional<NodeStats> stats;
    private final Optional<NodeLimits> limits;
    private final Object writing = new Object();
    private volatile OutputStream current;

    ControlLink(Connector connector, PluginPosts posts, Optional<NodeStats> stats) {
        this(connector, posts, stats, Optional.empty());
    }

    ControlLink(Connector connector, PluginPosts posts, Optional<NodeStats> stats, Optional<NodeLimits> limits) {
        this.connector = connector;
        this.posts = posts;
        this.stats = stats;
        this.limits = limits;
    }

    /** Sends an unasked frame (an engine event) on the link, if one is up; else drops it. */
    void push(ObjectNode frame) {
        OutputStream out = current;
        if (out == null) {
            return;
        }
        try {
            write(out, frame);
        } catch (IOException e) {
            LOG.fine("pushing " + frame.path("type").asText() + ": " + e.getMessage());
        }
    }

    private void write(OutputStream out, ObjectNode frame) throws IOException {
        ByteBuffer encoded = codec.encode(frame);
        synchronized (writing) {
            out.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
            out.flush();
        }
    }

    /** Serves the link for ever, reconnecting when it is lost. */
    void run() throws InterruptedException {
        long pauseMs = 100;
        while (!Thread.currentThread().isInterrupted()) {
            try (Socket socket = connector.connect()) {
                LOG.info("connected to the control plane");
                pauseMs = 100;
                serve(socket.getInputStream(), socket.getOutputStream());
                LOG.warning("the control plane closed the link");
            } catch (IOException | RuntimeException e) {
                LOG.warning("control link: " + e.getMessage());
            }
            Thread.sleep(pauseMs);
            pauseMs = Math.min(MAX_PAUSE.toMillis(), pauseMs * 2);
        }
    }

    void serve(InputStream in, OutputStream out) throws IOException {
        FrameDecoder decoder = codec.newDecoder();
        byte[] buffer = new byte[64 * 1024];
        int n;
        current = out;
        try {
            while ((n = in.read(buffer)) >= 0) {
                for (byte[] frame : decoder.feed(buffer, 0, n)) {
                    write(out, handle(mapper.readTree(frame)));
                }
            }
        } finally {
            current = null;
        }
    }

    private ObjectNode handle(JsonNode order) {
        String type = order.path("type").asText("");
        String pluginId = order.path("pluginId").asText("");
        ObjectNode answer = mapper.createObjectNode().put("pluginId", pluginId).put("ref", order.path("ref").asLong(0));
        try {
            switch (type) {
                case "prepare" -> {
                    int uid = order.path("uid").asInt(-1);
                    posts.prepare(slot(pluginId, order.path("next")), uid, files(order.path("files")),
                            flag(order.path("egress"), "egress"));
                    answer.put("type", "prepared");
                }
                case "ping" -> answer.put("type", "pong");
                case "stats" -> {
                    NodeStats reader = stats.orElseThrow(() ->
                            new IllegalStateException("this agent has no engine socket (LOGOMESH_AGENT_ENGINE)"));
                    reader.read(order.path("serviceId").asText("")).ifPresentOrElse(
                            s -> answer.put("type", "stats").set("stats", ContainerStatsJson.toJson(s)),
                            () -> answer.put("type", "absent"));
                }
                case LimitsOrder.TYPE -> {
                    NodeLimits node = limits.orElseThrow(() ->
                            new IllegalStateException("this agent has no engine socket (LOGOMESH_AGENT_ENGINE)"));
                    answer.put("type", node.apply(LimitsOrder.fromJson(order)) ? "updated" : "absent");
                }
                case "forget" -> {
                    posts.forget(slot(pluginId, order.path("next")));
                    answer.put("type", "forgotten");
                }
                case "data" -> {
                    posts.prepareData(pluginId, order.path("uid").asInt(-1), flag(order.path("fresh"), "fresh"));
                    answer.put("type", "data-ready");
                }
                case "release" -> {
                    posts.release(pluginId);
                    answer.put("type", "released");
                }
                default -> throw new IllegalArgumentException("unknown order: " + type);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("order " + type + " for " + pluginId + " failed: " + e.getMessage());
            answer.put("type", "failed").put("message", brief(String.valueOf(e.getMessage())));
        }
        return answer;
    }

    /**
     * A failure's text as an answer carries it: one line of at most {@link #MAX_MESSAGE} characters (an engine's
     * JSON answer quoted in full could pass the control plane's bound on an answer, which would cut the link off).
     */
    static String brief(String message) {
        String line = message.replaceAll("[\\p{Cntrl}]", " ");
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "…(cut)";
    }

    /** A flag ({@code egress}, {@code next}, {@code fresh}): absent (false) or a boolean, nothing else. */
    private static boolean flag(JsonNode value, String name) {
        if (value.isMissingNode()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(name + " must be true or false");
        }
        return value.booleanValue();
    }

    /** The plugin's slot an order is for: its {@code next} one with {@code "next": true}, else its first. */
    private static PluginSlot slot(String pluginId, JsonNode next) {
        return new PluginSlot(pluginId, flag(next, "next"));
    }

    private static Map<String, byte[]> files(JsonNode files) {
        if (!files.isObject()) {
            throw new IllegalArgumentException("files must be an object");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.properties().forEach(e -> {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("file " + e.getKey() + " is not base64 text");
            }
            out.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText()));
        });
        return out;
    }
}
