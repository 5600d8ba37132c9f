package io.logomesh.host.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.audit.AuditText;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.ipc.FrameTooLargeException;
import io.logomesh.host.ipc.IpcClosedException;
import io.logomesh.host.ipc.PluginCallException;
import io.logomesh.host.permission.PermissionService;
import io.logomesh.host.plugin.HostCallHandler;
import io.logomesh.host.plugin.PluginHandle;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginNotActiveException;
import io.logomesh.host.plugin.PluginNotFoundException;
import io.logomesh.host.plugin.PluginState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The plugin-to-plugin proxy: {@code sendMessage} (request/reply, routed to the target's session as an
 * IPC {@code message} request), {@code emit} (an IPC {@code event} notification to every running
 * plugin that subscribed and may receive the topic), and the {@code subscribe}/{@code unsubscribe}
 * notifications the shims send from {@code ctx.on}/{@code ctx.off}. The sender is always the plugin
 * whose socket the call came from. Every message and event is audited with its outcome
 * ({@code delivered}, {@code denied}, {@code failed}).
 */
@ApplicationScoped
public class MessageHostCalls implements HostCallHandler {

    private static final Pattern TOPIC = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");
    private static final int MAX_TYPE_LENGTH = 200;

    private final PluginManager plugins;
    private final PermissionService permissions;
    private final Subscriptions subscriptions;
    private final MessagingLimits limits;
    private final HostConfig.Messaging config;
    private final Event<AuditEvent> audit;
    private final ReplyRelay replies;

    @Inject
    public MessageHostCalls(PluginManager plugins, PermissionService permissions, Subscriptions subscriptions,
                            MessagingLimits limits, HostConfig config, Event<AuditEvent> audit) {
        this.plugins = plugins;
        this.permissions = permissions;
        this.subscriptions = subscriptions;
        this.limits = limits;
        this.config = config.messaging();
        this.audit = audit;
        this.replies = new ReplyRelay();
    }

    @Override
    public Set<String> requests() {
        return Set.of("sendMessage", "emit");
    }

    /**
     * {@code sendMessage} is served on the sender's IPC reader: its checks are in memory; a refusal's
     * audit append blocks only the refused sender's own reader; the reply is audited on the
     * {@link ReplyRelay}, never on the receiver's reader.
     */
    @Override
    public Set<String> inlineRequests() {
        return Set.of("sendMessage");
    }

    @Override
    public Set<String> notifications() {
        return Set.of("subscribe", "unsubscribe");
    }

    @Override
    public CompletionStage<JsonNode> onRequest(PluginHandle caller, String method, ObjectNode params) {
        try {
            return "emit".equals(method) ? CompletableFuture.completedFuture(emit(caller, params))
                    : send(caller, params);
        } catch (PluginHostException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void onNotification(PluginHandle caller, String method, ObjectNode params) {
        String name = params.path("name").asText(null);
        if ("subscribe".equals(method)) {
            subscriptions.subscribe(caller.id(), name);
        } else {
            subscriptions.unsubscribe(caller.id(), name);
        }
    }

    // ---- sendMessage -----------------------------------------------------------------

    private CompletionStage<JsonNode> send(PluginHandle sender, ObjectNode params) {
        JsonNode targetNode = params.path("target");
        JsonNode message = params.path("message");
        if (!targetNode.isTextual() || !message.isObject() || !message.path("type").isTextual()
                || message.path("type").asText().isEmpty() || message.path("type").asText().length() > MAX_TYPE_LENGTH) {
            throw new MessagingException("bad_request",
                    "sendMessage needs a \"target\" plugin id and a \"message\" object with a non-empty \"type\"");
        }
        String targetId = targetNode.asText();
        String shown = AuditText.cutId(targetId); // what refusals repeat of a target that may be huge
        String type = message.path("type").asText();
        long t0 = System.nanoTime();
        PluginHandle target;
        try {
            limits.takeToken(sender.id());
            target = plugins.get(targetId);
        } catch (PluginNotFoundException e) {
            throw refused(sender, shown, type, "failed", new MessagingException("not_found",
                    "no plugin '" + shown + "' is installed"), t0);
        } catch (MessagingException e) {
            throw refused(sender, shown, type, "denied", e, t0);
        }
        var refusal = MessagingPolicy.refusal(sender.manifest(), p -> permissions.holds(sender.manifest(), p),
                target.manifest());
        if (refusal.isPresent()) {
            throw refused(sender, targetId, type, "denied",
                    new MessagingException("denied", "message denied: " + refusal.get()), t0);
        }
        var notReady = target.refusalOfCalls(); // 'restarting' while it is restarted, else 'not_active'
        if (notReady.isPresent()) {
            throw refused(sender, targetId, type, "failed", notReady.get(), t0);
        }
        try {
            limits.reserve(targetId);
        } catch (MessagingException e) {
            throw refused(sender, targetId, type, "denied", e, t0);
        }
        ObjectNode forward = JsonNodeFactory.instance.objectNode().put("from", sender.id());
        forward.set("message", message);
        long timeoutMs = Math.min(config.timeout().toMillis(), target.manifest().resources().maxExecutionTimeMs());
        CompletableFuture<JsonNode> call;
        try {
            call = target.callRuntime("message", forward);
        } catch (RuntimeException e) {
            limits.release(targetId);
            throw e;
        }
        // the reply completes on the target's IPC reader: audit it and answer the sender on the relay instead
        return call.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handleAsync((reply, error) -> {
            limits.release(targetId);
            if (error == null) {
                audit.fire(AuditEvent.of("message", sender.id(), AuditEvent.plugin(sender.id()), "delivered",
                        details(sender.id(), targetId, type, t0)));
                return reply;
            }
            if (error instanceof TimeoutException || error.getCause() instanceof TimeoutException) {
                call.cancel(false);
            }
            throw new CompletionException(refused(sender, targetId, type, "failed",
                    translate(unwrap(error), targetId, timeoutMs), t0));
        }, replies);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static PluginHostException translate(Throwable error, String targetId, long timeoutMs) {
        return switch (error) {
            case TimeoutException t -> new MessagingException("timeout",
                    "plugin " + targetId + " did not reply within " + timeoutMs + " ms");
            case FrameTooLargeException f -> new MessagingException("too_large",
                    "the message is larger than the frame cap of the IPC proxy");
            case IpcClosedException c -> new MessagingException("not_active",
                    "plugin " + targetId + " stopped before it replied");
            case PluginCallException p -> new MessagingException(p.code(), p.getMessage());
            case PluginHostException h -> h;
            default -> new MessagingException("failed", "the message to " + targetId + " could not be delivered");
        };
    }

    private PluginHostException refused(PluginHandle sender, String targetId, String type, String outcome,
                                        PluginHostException why, long t0) {
        ObjectNode details = details(sender.id(), targetId, type, t0).put("code", why.code())
                .put("reason", why.getMessage());
        audit.fire(AuditEvent.of("message", sender.id(), AuditEvent.plugin(sender.id()), outcome, details));
        return why;
    }

    private static ObjectNode details(String from, String to, String type, long t0) {
        return AuditEvent.newDetails().put("from", from).put("to", to).put("messageType", type)
                .put("durationMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    // ---- emit ------------------------------------------------------------------------

    private JsonNode emit(PluginHandle sender, ObjectNode params) {
        String topic = params.path("topic").asText("");
        if (!params.path("topic").isTextual() || !TOPIC.matcher(topic).matches()) {
            throw new MessagingException("bad_request",
                    "emit needs a \"topic\" of 1-128 letters, digits, '.', '_' or '-'");
        }
        ObjectNode details = AuditEvent.newDetails().put("topic", topic);
        String actor = AuditEvent.plugin(sender.id());
        if (!permissions.holdsTopic(sender.manifest(), "publish", topic)) {
            MessagingException e = new MessagingException("denied",
                    "event denied: plugin " + sender.id() + " does not hold events:publish:" + topic);
            audit.fire(AuditEvent.of("event", sender.id(), actor, "denied", details.put("reason", e.getMessage())));
            throw e;
        }
        try {
            limits.takeToken(sender.id());
        } catch (MessagingException e) {
            audit.fire(AuditEvent.of("event", sender.id(), actor, "denied", details.put("reason", e.getMessage())));
            throw e;
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("from", sender.id()).put("topic", topic);
        event.set("data", params.path("data").isMissingNode() ? JsonNodeFactory.instance.nullNode() : params.get("data"));
        List<String> reached = new ArrayList<>();
        for (String listener : subscriptions.listeners(topic)) {
            if (listener.equals(sender.id())) {
                continue;
            }
            try {
                PluginHandle receiver = plugins.get(listener);
                if (permissions.holdsTopic(receiver.manifest(), "subscribe", topic)
                        && receiver.notifyRuntime("event", event)) {
                    reached.add(listener);
                }
            } catch (PluginNotFoundException e) {
                // uninstalled meanwhile
            }
        }
        details.put("delivered", reached.size());
        reached.forEach(details.putArray("receivers")::add);
        audit.fire(AuditEvent.of("event", sender.id(), actor, "delivered", details));
        return JsonNodeFactory.instance.objectNode().put("delivered", reached.size());
    }
}
