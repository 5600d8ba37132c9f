package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.audit.AuditEventRefusedException;
import io.logomesh.host.audit.AuditHashing;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.config.TokenBucket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves {@code ctx.auditLog(event)} ({@code auditLog {"event": {...}}}): appends a record of type
 * {@code plugin}, actor {@code plugin:<id>} (from the socket), details = the event. Refuses an
 * event that is not a JSON object ({@code invalid_event}), one larger than
 * {@code logomesh.audit.plugin-event-max-bytes} serialized ({@code too_large}), and more than
 * the plugin's token bucket allows ({@code rate_limited}). Answers null.
 */
@ApplicationScoped
public class PluginAuditLogHandler implements HostCallHandler {

    private final Event<AuditEvent> audit;
    private final HostConfig.Audit config;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public PluginAuditLogHandler(Event<AuditEvent> audit, HostConfig config) {
        this.audit = audit;
        this.config = config.audit();
    }

    @Override
    public Set<String> requests() {
        return Set.of("auditLog");
    }

    @Override
    public CompletionStage<JsonNode> onRequest(PluginHandle caller, String method, ObjectNode params) {
        try {
            record(caller.id(), params == null ? null : params.get("event"));
            return CompletableFuture.completedFuture(NullNode.getInstance());
        } catch (AuditEventRefusedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** An uninstalled plugin's bucket goes with it. */
    void onStateChange(@Observes PluginStateEvent event) {
        if (event.to() == PluginState.UNINSTALLED) {
            buckets.remove(event.pluginId());
        }
    }

    /** Checks and appends one plugin event. */
    void record(String pluginId, JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new AuditEventRefusedException("invalid_event", "auditLog needs an event that is a JSON object");
        }
        int size = AuditHashing.bytes(event).length;
        if (size > config.pluginEventMaxBytes()) {
            throw new AuditEventRefusedException("too_large", "audit event is " + size + " bytes; at most "
                    + config.pluginEventMaxBytes() + " are recorded");
        }
        TokenBucket bucket = buckets.computeIfAbsent(pluginId,
                id -> new TokenBucket(config.pluginRateLimit(), config.pluginRateBurst(), System.nanoTime()));
        if (!bucket.tryTake(System.nanoTime())) {
            throw new AuditEventRefusedException("rate_limited", "plugin " + pluginId + " adds audit records faster than "
                    + config.pluginRateLimit() + " per second");
        }
        audit.fire(AuditEvent.of("plugin", pluginId, AuditEvent.plugin(pluginId), "ok", ((ObjectNode) event).deepCopy()));
    }
}
