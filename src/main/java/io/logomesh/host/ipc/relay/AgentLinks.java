package io.logomesh.host.ipc.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.EngineReason;
import io.logomesh.host.config.TokenBucket;
import io.logomesh.host.ipc.FrameCodec;
import io.logomesh.host.ipc.FrameDecoder;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The control plane's side of the node agents' control links (one per node, over the relay's mutual TLS): it
 * tells every agent to prepare a plugin (its code folder and its socket on that node) before the plugin's
 * service is created, so wherever the swarm places it, and wherever it moves it, its node is ready; and to
 * forget it once the service is gone. Orders and answers are frames as on a plugin socket (see the agent's
 * {@code ControlLink}). Every {@link #PING_EVERY} each link is pinged; a link that has said nothing for
 * {@link #SILENT_FOR} (a node cut off, whose TCP connection would linger for minutes) is closed and its node no
 * longer counts: orders go to the nodes whose agent answers.
 */
public final class AgentLinks {

    /** The largest frame on a control link. */
    public static final int MAX_FRAME = 96 << 20;
    /** The largest answer an agent may send (answers are small); a larger one cuts its link off. */
    public static final int MAX_ANSWER = 64 * 1024;

    /** Engine events per second a node may report (after a burst of {@link #EVENTS_BURST}); more are dropped. */
    public static final int EVENTS_PER_SECOND = 20;
    public static final int EVENTS_BURST = 100;

    /** The most of one agent's failure text the host logs. */
    static final int DETAIL_CHARS = 300;

    /** How often each link is pinged. */
    public static final Duration PING_EVERY = Duration.ofSeconds(1);
    /** A link silent this long is closed. */
    public static final Duration SILENT_FOR = Duration.ofSeconds(4);

    private static final Logger LOG = Logger.getLogger(AgentLinks.class);

    private final ObjectMapper mapper = new ObjectMapper();
    private final FrameCodec codec = new FrameCodec(mapper, MAX_FRAME);
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    /** The last prepare order of each plugin slot not forgotten since ({@code <id>} or {@code <id>.next}). */
    private final Map<String, ObjectNode> prepared = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private volatile BiConsumer<String, String> onLost = (node, why) -> { };
    private volatile BiConsumer<String, JsonNode> onEvent = (node, event) -> { };
    private final AtomicLong refs = new AtomicLong();
    private final ScheduledExecutorService pinger =
            Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("agent-links-ping").daemon().factory());

    public AgentLinks() {
        pinger.scheduleWithFixedDelay(this::pingAll, PING_EVERY.toMillis(), PING_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void pingAll() {
        long now = System.nanoTime();
        for (Link link : links.values()) {
            if (now - link.lastHeard > SILENT_FOR.toNanos()) {
                LOG.warnf("node agent %s: silent for %d ms; its link is closed", link.nodeId,
                        (now - link.lastHeard) / 1_000_000);
                link.lostBecause = "silent for " + (now - link.lastHeard) / 1_000_000 + " ms";
                link.close();
                continue;
            }
            try {
                link.send(mapper.createObjectNode().put("type", "ping").put("pluginId", ""));
            } catch (IOException e) {
                link.close();
            }
        }
    }

    /** One agent's link. */
    private final class Link {
        final String nodeId;
        final Socket socket;
        final OutputStream out;
        final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
        /** Engine events this node may report: a burst, then {@link #EVENTS_PER_SECOND}; more are dropped. */
        final TokenBucket events = new TokenBucket(EVENTS_PER_SECOND, EVENTS_BURST, System.nanoTime());
        volatile long lastHeard = System.nanoTime();
        volatile String lostBecause = "its link ended";

        Link(String nodeId, Socket socket) throws IOException {
            this.nodeId = nodeId;
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a lost link
            }
        }

        synchronized void send(ObjectNode order) throws IOException {
            ByteBuffer frame = codec.encode(order);
            out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
            out.flush();
        }

        private void event(JsonNode event) {
            if (!events.tryTake(System.nanoTime())) {
                LOG.debugf("node agent %s: event dropped (more than %d per second)", nodeId, EVENTS_PER_SECOND);
                return;
            }
            try {
                onEvent.accept(nodeId, event);
            } catch (RuntimeException e) {
                LOG.warnf("node agent %s: handling its event %s failed: %s", nodeId, event.path("kind").asText(),
                        e.getMessage());
            }
        }

        void read() {
            FrameDecoder decoder = new FrameDecoder(MAX_ANSWER);
            byte[] buffer = new byte[8192];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    lastHeard = System.nanoTime();
                    for (byte[] frame : decoder.feed(buffer, 0, n)) {
                        JsonNode answer = mapper.readTree(frame);
                        if ("event".equals(answer.path("type").asText())) {
                            event(answer);
                            continue;
                        }
                        CompletableFuture<JsonNode> w = waiting.remove(answer.path("ref").asLong(-1));
                        if (w != null) {
                            w.complete(answer);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.infof("node agent %s: link lost (%s)", nodeId, e.getMessage());
            } finally {
                if (links.remove(nodeId, this) && !closing) {
                    try {
                        onLost.accept(nodeId, lostBecause);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "node agent %s: reporting its loss failed", nodeId);
                    }
                }
                waiting.values().forEach(w -> w.completeExceptionally(new IOException("link lost")));
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a lost link
                }
            }
        }
    }

    /** Serves a node agent's control link on the calling thread until it ends; a newer link of a node replaces its older. */
    public void serve(String nodeId, Socket socket) {
        Link link;
        try {
            link = new Link(nodeId, socket);
        } catch (IOException e) {
            return;
        }
        Link older = links.put(nodeId, link);
        if (older != null) {
            try {
                older.socket.close();
            } catch (IOException e) {
                // replaced
            }
        }
        LOG.infof("node agent %s: linked", nodeId);
        replay(link);
        link.read();
    }

    /** Called (node id, how) when a linked node's link ends, replaced links and {@link #close()} aside. */
    public void onLost(BiConsumer<String, String> listener) {
        this.onLost = listener;
    }

    /**
     * Called (node id, event) for each engine event a node's agent reports ({@code kind} {@code start}, {@code oom}
     * or {@code die}, with {@code pluginId}, {@code serviceId}, {@code containerId}, {@code exitCode}), on the
     * link's reading thread: keep it short.
     */
    public void onEvent(BiConsumer<String, JsonNode> listener) {
        this.onEvent = listener;
    }

    /**
     * The reading of a plugin service's container from the node that runs it: every linked agent is asked, the
     * one with the container answers with its reading, the others that they have none.
     *
     * @return the node and its reading ({@code ContainerStatsJson}), empty when no node has the container running
     */
    public Optional<Map.Entry<String, JsonNode>> stats(String pluginId, String serviceId, Duration timeout) {
        return stats(pluginId, serviceId, timeout, node -> true);
    }

    /**
     * As {@link #stats(String, String, Duration)}, asking only the linked agent of {@code nodeId} (where the
     * container was last read): empty when that node has none running, or no longer a link.
     */
    public Optional<Map.Entry<String, JsonNode>> statsOn(String nodeId, String pluginId, String serviceId,
                                                         Duration timeout) {
        return stats(pluginId, serviceId, timeout, nodeId::equals);
    }

    private Optional<Map.Entry<String, JsonNode>> stats(String pluginId, String serviceId, Duration timeout,
                                                        Predicate<String> asked) {
        ObjectNode order = mapper.createObjectNode().put("type", "stats").put("pluginId", pluginId)
                .put("serviceId", serviceId);
        Map<String, JsonNode> answers = askUntil(order, timeout, asked, AgentLinks::hasReading);
        for (var answer : answers.entrySet()) {
            if (hasReading(answer.getValue())) {
                return Optional.of(Map.entry(answer.getKey(), answer.getValue().get("stats")));
            }
        }
        return Optional.empty();
    }

    private static boolean hasReading(JsonNode answer) {
        return "stats".equals(answer.path("type").asText()) && answer.has("stats");
    }

    /** An answer to an {@code update} order from the node that has the container: no other node's is awaited. */
    private static boolean decidesUpdate(JsonNode answer) {
        String type = answer.path("type").asText();
        return "updated".equals(type) || "failed".equals(type);
    }

    /**
     * New limits for a plugin service's running container, applied by the agent of the node that runs it (every
     * linked agent is asked; the one with the container applies them and answers, the others say they have none).
     * Returns as soon as that node has answered: a linked agent that is slow (or silent) elsewhere delays only an
     * order whose container no node has claimed yet.
     *
     * @return the node that applied them, empty when no linked node has the container running (or none answered)
     * @throws AgentOrderException when the node with the container could not apply them: the message gives the
     *         engine's reason in a sentence ({@code EngineReason}), the raw answer is logged and in its detail
     */
    public Optional<String> update(LimitsOrder limits, Duration timeout) {
        return update(limits, timeout, node -> true);
    }

    /**
     * As {@link #update(LimitsOrder, Duration)}, asking only the linked agent of {@code nodeId} (the node last seen
     * running the container): empty when that node has none running, does not answer in time or is not linked.
     */
    public Optional<String> updateOn(String nodeId, LimitsOrder limits, Duration timeout) {
        return update(limits, timeout, nodeId::equals);
    }

    private Optional<String> update(LimitsOrder limits, Duration timeout, Predicate<String> asked) {
        Map<String, JsonNode> answers = askUntil(limits.toJson(mapper), timeout, asked, AgentLinks::decidesUpdate);
        Optional<String> applied = Optional.empty();
        for (var answer : answers.entrySet()) {
            switch (answer.getValue().path("type").asText()) {
                case "updated" -> applied = Optional.of(answer.getKey());
                case "failed" -> {
                    String said = answer.getValue().path("message").asText("failed");
                    LOG.warnf("update of service %s: node %s refused it: %s", limits.serviceId(), answer.getKey(),
                            oneLine(said));
                    throw new AgentOrderException("node " + answer.getKey() + ": " + EngineReason.of(said),
                            answer.getKey() + ": " + oneLine(said));
                }
                default -> {
                    // absent: not this node's
                }
            }
        }
        return applied;
    }

    /** Stops pinging and closes every link. */
    public void close() {
        closing = true;
        pinger.shutdownNow();
        links.values().forEach(Link::close);
    }

    /** The nodes whose agent is linked now. */
    public Set<String> nodes() {
        return new TreeSet<>(links.keySet());
    }

    /**
     * Has every linked agent prepare the plugin: its code ({@code files}: relative path → bytes) and its socket
     * for {@code uid}.
     *
     * @return the nodes that are ready for it (a task the swarm places on another node fails there and is placed
     *         again)
     * @throws AgentOrderException when no node is ready for it (no agent linked, or every one refused)
     */
    public Set<String> prepare(String pluginId, int uid, Map<String, byte[]> files, Duration timeout) {
        return prepare(pluginId, uid, files, false, timeout);
    }

    /**
     * As {@link #prepare(String, int, Map, Duration)}; with {@code egress} the agents open the plugin's
     * {@code egress.sock} too (it holds {@code network}), without it they close one left open.
     */
    public Set<String> prepare(String pluginId, int uid, Map<String, byte[]> files, boolean egress,
                               Duration timeout) {
        return prepare(pluginId, false, uid, files, egress, timeout);
    }

    /**
     * As {@link #prepare(String, int, Map, boolean, Duration)}, for the plugin's {@code next} slot when {@code next}
     * (the order says {@code "next": true}: the agents prepare {@code <id>.next} beside {@code <id>}, see the
     * agent's control link).
     */
    public Set<String> prepare(String pluginId, boolean next, int uid, Map<String, byte[]> files, boolean egress,
                               Duration timeout) {
        ObjectNode order = mapper.createObjectNode().put("type", "prepare").put("pluginId", pluginId).put("uid", uid)
                .put("egress", egress);
        if (next) {
            order.put("next", true);
        }
        ObjectNode encoded = order.putObject("files");
        files.forEach((path, bytes) -> encoded.put(path, Base64.getEncoder().encodeToString(bytes)));
        Set<String> ready = orderAll(pluginId, order, "prepared", timeout, false);
        prepared.put(preparedKey(pluginId, next), order);
        return ready;
    }

    /**
     * A node's agent that links is given every plugin slot prepared so far, on a thread of its own: an agent the
     * swarm started anew (its node was away, its old task replaced) holds no plugin's socket, and a node that was
     * away at a plugin's start never got its order; without them a task the swarm places there could not connect.
     * An agent that already holds a slot refills its code and keeps its socket. Answers are not awaited: a slot a
     * node cannot prepare shows when a task placed there does not connect.
     */
    private void replay(Link link) {
        if (prepared.isEmpty()) {
            return;
        }
        List<ObjectNode> orders = List.copyOf(prepared.values());
        Thread.ofVirtual().name("agent-replay-" + link.nodeId).start(() -> {
            for (ObjectNode order : orders) {
                try {
                    link.send(order.deepCopy().put("ref", refs.incrementAndGet()));
                } catch (IOException e) {
                    return; // the link is lost: its next one replays again
                }
            }
            LOG.infof("node agent %s: given the %d plugin slots prepared so far", link.nodeId, orders.size());
        });
    }

    private static String preparedKey(String pluginId, boolean next) {
        return next ? pluginId + ".next" : pluginId;
    }

    /** Has every linked agent forget the plugin (close its socket, remove its folders). */
    public Set<String> forget(String pluginId, Duration timeout) {
        return forget(pluginId, false, timeout);
    }

    /** As {@link #forget(String, Duration)}, for the plugin's {@code next} slot when {@code next}. */
    public Set<String> forget(String pluginId, boolean next, Duration timeout) {
        ObjectNode order = mapper.createObjectNode().put("type", "forget").put("pluginId", pluginId);
        if (next) {
            order.put("next", true);
        }
        prepared.remove(preparedKey(pluginId, next));
        return orderAll(pluginId, order, "forgotten", timeout, true);
    }

    /**
     * Has one node's agent make the plugin's data folder ready for {@code uid} (the node its data is pinned to),
     * emptied first when {@code fresh} (its first placement).
     *
     * @throws AgentOrderException when that node's agent is not linked, refuses or does not answer in time
     */
    public void prepareData(String nodeId, String pluginId, int uid, boolean fresh, Duration timeout) {
        orderOne(nodeId, mapper.createObjectNode().put("type", "data").put("pluginId", pluginId).put("uid", uid)
                .put("fresh", fresh), "data-ready", timeout);
    }

    /**
     * Has one node's agent forget the plugin and remove its data folder (the plugin was uninstalled).
     *
     * @throws AgentOrderException when that node's agent is not linked, refuses or does not answer in time
     */
    public void release(String nodeId, String pluginId, Duration timeout) {
        prepared.remove(preparedKey(pluginId, false));
        prepared.remove(preparedKey(pluginId, true));
        orderOne(nodeId, mapper.createObjectNode().put("type", "release").put("pluginId", pluginId), "released",
                timeout);
    }

    /** Sends the order to one node's agent and waits for its answer, which must be {@code done}. */
    private void orderOne(String nodeId, ObjectNode order, String done, Duration timeout) {
        String what = order.path("type").asText() + " " + order.path("pluginId").asText() + " on node " + nodeId;
        Link link = links.get(nodeId);
        if (link == null) {
            throw new AgentOrderException(what + " failed: its agent is not linked");
        }
        long ref = refs.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        link.waiting.put(ref, answer);
        try {
            link.send(order.deepCopy().put("ref", ref));
            JsonNode a = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!done.equals(a.path("type").asText())) {
                String said = a.path("message").asText("failed");
                LOG.warnf("%s: refused: %s", what, oneLine(said));
                throw new AgentOrderException(what + " failed: " + EngineReason.of(said), oneLine(said));
            }
        } catch (IOException | ExecutionException e) {
            throw new AgentOrderException(what + " failed: its link was lost",
                    oneLine(String.valueOf((e.getCause() == null ? e : e.getCause()).getMessage())));
        } catch (TimeoutException e) {
            throw new AgentOrderException(what + " failed: no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentOrderException(what + " failed: interrupted");
        } finally {
            link.waiting.remove(ref);
        }
    }

    /**
     * Sends the order to every linked agent and waits for their answers. A failure names each node and how it
     * failed in a few words; what an agent said (its exception's text, perhaps its engine's answer) is logged
     * here, one line each and bounded, and kept in {@link AgentOrderException#detail()}, never in the message.
     *
     * @param everyNode whether one node's failure fails the order (else only all of them failing does)
     */
    private Set<String> orderAll(String pluginId, ObjectNode order, String done, Duration timeout,
                                 boolean everyNode) {
        Map<String, CompletableFuture<JsonNode>> answers = send(order);
        String type = order.path("type").asText();
        if (answers.isEmpty()) {
            throw new AgentOrderException("no node agent is linked");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> ready = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        List<String> details = new ArrayList<>();
        answers.forEach((node, answer) -> {
            try {
                JsonNode a = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (done.equals(a.path("type").asText())) {
                    ready.add(node);
                } else {
                    failures.add("node " + node + " refused it");
                    details.add(node + ": " + oneLine(a.path("message").asText("failed")));
                }
            } catch (ExecutionException e) {
                failures.add("node " + node + " lost its link");
                details.add(node + ": " + oneLine(String.valueOf(e.getCause().getMessage())));
            } catch (TimeoutException e) {
                failures.add("node " + node + " did not answer");
                details.add(node + ": no answer within " + timeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add("node " + node + " was not waited for");
                details.add(node + ": interrupted");
            }
        });
        if (failures.isEmpty()) {
            return ready;
        }
        String detail = String.join("; ", details);
        LOG.warnf("%s %s: not on %s", type, pluginId, detail);
        if (everyNode || ready.isEmpty()) {
            throw new AgentOrderException(type + " of plugin " + pluginId + ": " + String.join(", ", failures),
                    detail);
        }
        return ready;
    }

    /** An agent's text for a log line: one line, at most {@link #DETAIL_CHARS} characters. */
    static String oneLine(String text) {
        String flat = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ");
        return flat.length() <= DETAIL_CHARS ? flat : flat.substring(0, DETAIL_CHARS) + "…(cut)";
    }

    /** Sends the order, under a fresh {@code ref}, to every linked agent: their answers to come, by node. */
    private Map<String, CompletableFuture<JsonNode>> send(ObjectNode order) {
        return send(order, node -> true);
    }

    /** As {@link #send(ObjectNode)}, to the linked agents of the nodes {@code to} accepts. */
    private Map<String, CompletableFuture<JsonNode>> send(ObjectNode order, Predicate<String> to) {
        Map<String, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
        for (Link link : new ArrayList<>(links.values())) {
            if (!to.test(link.nodeId)) {
                continue;
            }
            long ref = refs.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            link.waiting.put(ref, answer);
            answers.put(link.nodeId, answer);
            answer.whenComplete((a, e) -> link.waiting.remove(ref));
            try {
                link.send(order.deepCopy().put("ref", ref));
            } catch (IOException e) {
                answer.completeExceptionally(e);
            }
        }
        return answers;
    }

    /**
     * Sends the order to the agents {@code asked} accepts, all at once, and waits until one answer is
     * {@code decisive} (the node with the container answered), every asked agent has answered, or the timeout is
     * over, whichever comes first: one slow agent holds up only an order no faster node settles.
     *
     * @return the answers that came by then, by node (failed ones left out; those still awaited are dropped, a late
     *         answer finds no one waiting)
     */
    private Map<String, JsonNode> askUntil(ObjectNode order, Duration timeout, Predicate<String> asked,
                                           Predicate<JsonNode> decisive) {
        Map<String, CompletableFuture<JsonNode>> answers = send(order, asked);
        CompletableFuture<Void> settled = new CompletableFuture<>();
        AtomicInteger open = new AtomicInteger(answers.size());
        if (answers.isEmpty()) {
            settled.complete(null);
        }
        answers.values().forEach(answer -> answer.whenComplete((a, e) -> {
            boolean decides = e == null && decisive.test(a);
            if (open.decrementAndGet() == 0 || decides) {
                settled.complete(null);
            }
        }));
        try {
            settled.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // settled by the deadline: what came is what counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, JsonNode> got = new java.util.TreeMap<>();
        answers.forEach((node, answer) -> {
            if (answer.isDone() && !answer.isCompletedExceptionally()) {
                got.put(node, answer.join());
            } else {
                answer.cancel(false);
            }
        });
        return got;
    }
}
