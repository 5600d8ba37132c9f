package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.HostConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Each plugin's own log: the {@code ctx.log(level, ...)} lines the rate limit of {@link PluginRequestRouter} let
 * through (50 a second, bursts of 100), each escaped to one line of at most {@value #MAX_CHARS} characters, the
 * newest {@code logomesh.logs.max-lines} kept per plugin in memory (older ones dropped). Read by
 * {@code GET /plugins/{id}/logs} beside the container's stdout/stderr; followers get each new line. An
 * uninstalled plugin's log goes with it. Thread-safe.
 */
@ApplicationScoped
public class PluginLogBook implements HostCallHandler {

    /** Longest message kept, in characters (then a cut marker). */
    static final int MAX_CHARS = 4096;
    /** Most followers of one plugin's log at once. */
    public static final int MAX_FOLLOWERS = 8;
    private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error");

    private final int maxLines;
    private final Map<String, Deque<PluginLogLine>> lines = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<PluginLogLine>>> followers = new ConcurrentHashMap<>();

    @Inject
    public PluginLogBook(HostConfig config) {
        this.maxLines = config.logs().maxLines();
    }

    @Override
    public Set<String> requests() {
        return Set.of();
    }

    @Override
    public Set<String> notifications() {
        return Set.of("log");
    }

    @Override
    public CompletionStage<JsonNode> onRequest(PluginHandle caller, String method, ObjectNode params) {
        return CompletableFuture.failedFuture(new HostCallUnsupportedException(method));
    }

    @Override
    public void onNotification(PluginHandle caller, String method, ObjectNode params) {
        String level = params.path("level").asText("info");
        append(caller.id(), LEVELS.contains(level) ? level : "info", params.path("message").asText(""));
    }

    /** Adds one line to the plugin's log and hands it to its followers. */
    public void append(String pluginId, String level, String message) {
        PluginLogLine line = new PluginLogLine(Instant.now(), level, PluginLogText.sanitise(message, MAX_CHARS));
        Deque<PluginLogLine> book = lines.computeIfAbsent(pluginId, id -> new ArrayDeque<>());
        synchronized (book) {
            book.addLast(line);
            while (book.size() > maxLines) {
                book.removeFirst();
            }
        }
        followers.getOrDefault(pluginId, List.of()).forEach(f -> f.accept(line));
    }

    /** The plugin's log lines, oldest first. */
    public List<PluginLogLine> lines(String pluginId) {
        Deque<PluginLogLine> book = lines.get(pluginId);
        if (book == null) {
            return List.of();
        }
        synchronized (book) {
            return new ArrayList<>(book);
        }
    }

    /**
     * Calls {@code follower} with each new line of the plugin's log until the returned handle is run.
     *
     * @throws PluginBusyException past {@value #MAX_FOLLOWERS} followers of one plugin (429 {@code busy})
     */
    public Runnable follow(String pluginId, Consumer<PluginLogLine> follower) {
        List<Consumer<PluginLogLine>> list = followers.computeIfAbsent(pluginId, id -> new CopyOnWriteArrayList<>());
        synchronized (list) {
            if (list.size() >= MAX_FOLLOWERS) {
                throw new PluginBusyException("plugin " + pluginId + "'s log has " + MAX_FOLLOWERS
                        + " followers already", 5);
            }
            list.add(follower);
        }
        return () -> list.remove(follower);
    }

    void onStateChange(@Observes PluginStateEvent event) {
        if (event.to() == PluginState.UNINSTALLED) {
            lines.remove(event.pluginId());
        }
    }
}
