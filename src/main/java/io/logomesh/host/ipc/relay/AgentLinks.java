package io.logomesh.host.ipc.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The control plane's side of the node agents' control links (one per node, over the relay's mutual TLS): it
 * tells every agent to prepare a plugin (its code folder and its socket on that node) before the plugin's
 * service is created, so wherever the swarm places it, and wherever it moves it, its node is ready; and to
 * forget it once the service is gone. Orders and answers are frames as on a plugin socket (see the agent's
 * {@code ControlLink}).
 */
public final class AgentLinks {

    /** The largest frame on a control link. */
    public static final int MAX_FRAME = 96 << 20;
    /** The largest answer an agent may send (answers are small). */
    static final int MAX_ANSWER = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(AgentLinks.class);

    private final ObjectMapper mapper = new ObjectMapper();
    private final FrameCodec codec = new FrameCodec(mapper, MAX_FRAME);
    private final Map<String, Link> links = new ConcurrentHashMap<>();

    /** One agent's link. */
    private final class Link {
        final String nodeId;
        final Socket socket;
        final OutputStream out;
        final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

        Link(String nodeId, Socket socket) throws IOException {
            this.nodeId = nodeId;
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        synchronized void send(ObjectNode order) throws IOException {
            ByteBuffer frame = codec.encode(order);
            out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
            out.flush();
        }

        void read() {
            FrameDecoder decoder = new FrameDecoder(MAX_ANSWER);
            byte[] buffer = new byte[8192];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    for (byte[] frame : decoder.feed(buffer, 0, n)) {
                        JsonNode answer = mapper.readTree(frame);
                        CompletableFuture<JsonNode> w = waiting.remove(answer.path("pluginId").asText(""));
                        if (w != null) {
                            w.complete(answer);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.infof("node agent %s: link lost (%s)", nodeId, e.getMessage());
            } finally {
                links.remove(nodeId, this);
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
        link.read();
    }

    /** The nodes whose agent is linked now. */
    public Set<String> nodes() {
        return new TreeSet<>(links.keySet());
    }

    /**
     * Has every linked agent prepare the plugin: its code ({@code files}: relative path → bytes) and its socket
     * for {@code uid}.
     *
     * @return the nodes that are ready for it
     * @throws AgentOrderException when an agent refuses, or no agent is linked
     */
    public Set<String> prepare(String pluginId, int uid, Map<String, byte[]> files, Duration timeout) {
        ObjectNode order = mapper.createObjectNode().put("type", "prepare").put("pluginId", pluginId).put("uid", uid);
        ObjectNode encoded = order.putObject("files");
        files.forEach((path, bytes) -> encoded.put(path, Base64.getEncoder().encodeToString(bytes)));
        return orderAll(pluginId, order, "prepared", timeout);
    }

    /** Has every linked agent forget the plugin (close its socket, remove its folders). */
    public Set<String> forget(String pluginId, Duration timeout) {
        ObjectNode order = mapper.createObjectNode().put("type", "forget").put("pluginId", pluginId);
        return orderAll(pluginId, order, "forgotten", timeout);
    }

    private Set<String> orderAll(String pluginId, ObjectNode order, String done, Duration timeout) {
        List<Link> all = new ArrayList<>(links.values());
        if (all.isEmpty()) {
            throw new AgentOrderException("no node agent is linked");
        }
        Map<String, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
        for (Link link : all) {
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            link.waiting.put(pluginId, answer);
            answers.put(link.nodeId, answer);
            try {
                link.send(order);
            } catch (IOException e) {
                answer.completeExceptionally(e);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> ready = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        answers.forEach((node, answer) -> {
            try {
                JsonNode a = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (done.equals(a.path("type").asText())) {
                    ready.add(node);
                } else {
                    failures.add(node + ": " + a.path("message").asText("failed"));
                }
            } catch (ExecutionException | TimeoutException e) {
                failures.add(node + ": " + (e instanceof TimeoutException ? "no answer" : e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(node + ": interrupted");
            }
        });
        if (!failures.isEmpty()) {
            throw new AgentOrderException(order.path("type").asText() + " " + pluginId + " failed on "
                    + String.join("; ", failures));
        }
        return ready;
    }
}
