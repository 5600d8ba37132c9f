package io.logomesh.host.api;

import io.logomesh.host.access.Role;
import io.logomesh.host.plugin.PluginLogs;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.util.List;

/**
 * {@code GET /api/v1/plugins/{id}/logs?tail=N[&follow=true]}: the plugin's log ({@link PluginLogs}): its
 * container's stdout/stderr — or, once that container is gone after a crash, its kept last output — and its
 * {@code ctx.log} lines with time and level, bounded per line and per answer, with a marker line
 * {@code [logomesh] output cut: ...} where output was dropped. {@code follow=true} then streams each new line:
 * server-sent events for {@code Accept: text/event-stream}, else plain lines.
 */
@Path("/api/v1/plugins/{id}/logs")
@Tag(name = "plugins")
public class PluginLogsResource {

    private final PluginLogs logs;

    @Inject
    public PluginLogsResource(PluginLogs logs) {
        this.logs = logs;
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Produces(MediaType.TEXT_PLAIN + ";qs=1")
    @Operation(summary = "Read (or follow) a plugin's log",
            description = "The last N lines of the container's stdout and stderr (after a crash, timeout or OOM kill: "
                    + "the last output kept from the container that ended, first line '[logomesh] last output of "
                    + "container ...') merged by time with the plugin's ctx.log lines ('<time> [<level>] <message>'); "
                    + "each line and the whole answer capped, with a '[logomesh] output cut: ...' marker line where "
                    + "output was dropped. Empty when it never ran. follow=true with Accept: text/event-stream: "
                    + "those lines, then every new one as it comes, one server-sent event per line, at most 8 "
                    + "followers per plugin (429 busy past that).")
    @APIResponse(responseCode = "200", description = "The lines (text/plain), or the event stream (follow=true)",
            content = {@Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(implementation = String.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.LOGS)),
                    @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = String.class))})
    @APIResponse(responseCode = "400", description = "tail is not a positive whole number, follow not true/false, or "
            + "follow=true without Accept: text/event-stream", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "No such plugin", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "429", description = "follow=true: the plugin's log has 8 followers already (busy)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public String tail(@Parameter(description = "The plugin id") @PathParam("id") String id,
                       @Parameter(description = "How many lines (default 100, capped by logomesh.logs.max-lines)")
                       @QueryParam("tail") @DefaultValue("100") String tail,
                       @Parameter(description = "true (with Accept: text/event-stream): keep the answer open and send "
                               + "each new line") @QueryParam("follow") @DefaultValue("false") String follow) {
        int lines = lines(tail, follow);
        if (follow.equals("true")) {
            throw new InvalidRequestException("follow=true streams server-sent events: send Accept: text/event-stream");
        }
        return logs.read(id, lines); // 404 for an unknown plugin
    }

    /** The same lines, then each new one: one server-sent event per line (Accept: text/event-stream). */
    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS + ";qs=0.5") // Accept: */* gets the text/plain answer
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    @Operation(hidden = true, summary = "Follow a plugin's log (documented with the text/plain answer)")
    @APIResponse(responseCode = "200", description = "The event stream, one event per line")
    public Multi<String> stream(@PathParam("id") String id, @QueryParam("tail") @DefaultValue("100") String tail,
                                @QueryParam("follow") @DefaultValue("false") String follow) {
        int lines = lines(tail, follow);
        String text = logs.read(id, lines); // 404 for an unknown plugin
        if (follow.equals("false")) {
            return Multi.createFrom().iterable(text.lines().toList());
        }
        List<String> early = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<String>> sink =
                new java.util.concurrent.atomic.AtomicReference<>(early::add);
        Runnable stop = logs.follow(id, line -> sink.get().accept(line)); // 429 here, before the answer starts
        Multi<String> next = Multi.createFrom().<String>emitter(emitter -> {
            sink.set(emitter::emit);
            early.forEach(emitter::emit);
            emitter.onTermination(stop);
        }, BackPressureStrategy.DROP);
        return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(text.lines().toList()), next);
    }

    private static int lines(String tail, String follow) {
        int lines;
        try {
            lines = Integer.parseInt(tail);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("tail must be a whole number of lines");
        }
        if (lines < 1) {
            throw new InvalidRequestException("tail must be at least 1");
        }
        if (!follow.equals("true") && !follow.equals("false")) {
            throw new InvalidRequestException("follow must be true or false");
        }
        return lines;
    }
}
