package io.logomesh.host.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.logomesh.host.plugin.HostCallHandler;
import io.logomesh.host.plugin.PluginHandle;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only host call {@code hxWhoAmI {nonce}}: records which plugin the host says sent it, so a
 * hostile frame that claims another plugin's id can be checked against what the host believed.
 */
@ApplicationScoped
public class WhoAmIHandler implements HostCallHandler {

    static final String METHOD = "hxWhoAmI";
    private static final Map<String, String> CALLERS = new ConcurrentHashMap<>();

    @Override
    public Set<String> requests() {
        return Set.of(METHOD);
    }

    @Override
    public Set<String> notifications() {
        return Set.of(METHOD);
    }

    @Override
    public CompletionStage<JsonNode> onRequest(PluginHandle caller, String method, ObjectNode params) {
        onNotification(caller, method, params);
        return CompletableFuture.completedFuture(TextNode.valueOf(caller.id()));
    }

    @Override
    public void onNotification(PluginHandle caller, String method, ObjectNode params) {
        CALLERS.put(params.path("nonce").asText(), caller.id());
    }

    /** The plugin the host attributed the call carrying {@code nonce} to. */
    static Optional<String> callerOf(String nonce) {
        return Optional.ofNullable(CALLERS.get(nonce));
    }
}
