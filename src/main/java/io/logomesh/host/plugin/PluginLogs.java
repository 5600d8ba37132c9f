package io.logomesh.host.plugin;

import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerLogs;
import io.logomesh.host.container.LogTail;
import io.logomesh.host.settings.SecretStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A plugin's log as {@code GET /plugins/{id}/logs} shows it: its container's stdout/stderr (the running
 * container's, else the last output kept from a crashed one, {@link LastOutput}) and its {@code ctx.log} lines
 * ({@link PluginLogBook}, printed {@code <time> [<level>] <message>}), merged by time, the newest {@code tail}
 * lines kept, each line and the whole answer capped ({@code logomesh.logs.*}) with marker lines where cut, and
 * the plugin's secret values cut out ({@code [secret:<name>]}).
 */
@ApplicationScoped
public class PluginLogs {

    private final PluginManager plugins;
    private final ContainerLogs containers;
    private final LastOutput lastOutput;
    private final PluginLogBook book;
    private final HostConfig.Logs caps;
    private final SecretStore secrets;

    @Inject
    public PluginLogs(PluginManager plugins, ContainerLogs containers, LastOutput lastOutput, PluginLogBook book,
                      HostConfig config, SecretStore secrets) {
        this.secrets = secrets;
        this.plugins = plugins;
        this.containers = containers;
        this.lastOutput = lastOutput;
        this.book = book;
        this.caps = config.logs();
    }

    private record Timed(Instant time, String text) {
    }

    /** The newest {@code tail} lines (see the class doc); 404 for an unknown plugin. */
    public String read(String pluginId, int tail) {
        String containerId = plugins.get(pluginId).snapshot().containerId();
        int wanted = Math.max(1, Math.min(tail, caps.maxLines()));
        String output = containerId != null ? containers.timedTail(containerId, wanted)
                : lastOutput.read(pluginId).orElse("");
        String header = null;
        List<Timed> lines = new ArrayList<>();
        Instant last = Instant.EPOCH;
        for (String line : output.split("\n", -1)) {
            if (line.isEmpty() && lines.isEmpty()) {
                continue;
            }
            if (line.startsWith(LastOutput.HEADER) && header == null && lines.isEmpty()) {
                header = line;
                continue;
            }
            int space = line.indexOf(' ');
            Instant at = null;
            if (space > 0 && !line.startsWith("[logomesh]")) {
                try {
                    at = Instant.parse(line.substring(0, space));
                } catch (DateTimeParseException e) {
                    at = null;
                }
            }
            if (at == null) {
                lines.add(new Timed(last, line)); // a marker, or a line the engine did not stamp: stays in place
            } else {
                last = at;
                lines.add(new Timed(at, line.substring(space + 1)));
            }
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).text().isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        for (PluginLogLine l : book.lines(pluginId)) {
            lines.add(new Timed(l.time(), l.text()));
        }
        lines.sort(Comparator.comparing(Timed::time)); // stable: the engine's order is kept among equal times
        LogTail out = new LogTail(wanted, caps.maxLineBytes(), caps.maxBytes());
        for (Timed t : lines) {
            byte[] bytes = (t.text() + "\n").getBytes(StandardCharsets.UTF_8);
            out.accept(bytes, 0, bytes.length);
        }
        String text = secrets.redact(pluginId, out.text()); // what the plugin printed may hold its secrets
        return header == null ? text : header + "\n" + text;
    }

    /**
     * Calls {@code line} with each new line of the plugin's log (container output and {@code ctx.log} lines)
     * until the returned handle is run; 404 for an unknown plugin, 429 {@code busy} past
     * {@value PluginLogBook#MAX_FOLLOWERS} followers of one plugin.
     */
    public Runnable follow(String pluginId, Consumer<String> line) {
        plugins.get(pluginId);
        Runnable fromBook = book.follow(pluginId, l -> line.accept(l.text()));
        Runnable fromContainer;
        try {
            fromContainer = containers.follow(pluginId, l -> line.accept(secrets.redact(pluginId, l)));
        } catch (RuntimeException e) {
            fromBook.run();
            throw e;
        }
        return () -> {
            fromBook.run();
            fromContainer.run();
        };
    }
}
