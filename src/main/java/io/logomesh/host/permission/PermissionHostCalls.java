package io.logomesh.host.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.plugin.HostCallHandler;
import io.logomesh.host.plugin.PluginHandle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code requestPermission {permission, host?}} → {@code {"permission", "status", "requestId", "reason"}}, answered
 * (with {@code host}, {@code network} names one egress destination: {@code network:<host>}),
 * at once: {@code granted}, {@code denied}, or {@code pending} until an operator decides (the plugin
 * asks again to see the decision). See {@link PermissionService}.
 */
@ApplicationScoped
public class PermissionHostCalls implements HostCallHandler {

    private final PermissionService permissions;
    private final ObjectMapper mapper;

    @Inject
    public PermissionHostCalls(PermissionService permissions, ObjectMapper mapper) {
        this.permissions = permissions;
        this.mapper = mapper;
    }

    @Override
    public Set<String> requests() {
        return Set.of("requestPermission");
    }

    @Override
    public CompletionStage<JsonNode> onRequest(PluginHandle caller, String method, ObjectNode params) {
        try {
            String permission = params.path("permission").asText("");
            String host = params.path("host").asText("");
            if ("network".equals(permission) && !host.isEmpty()) {
                permission = "network:" + host; // ctx.requestPermission('network', 'api.example.com:443')
            }
            PermissionRequest r = permissions.request(caller, permission);
            ObjectNode result = mapper.createObjectNode().put("permission", r.permission()).put("status", r.status())
                    .put("requestId", r.id());
            if (r.reason() != null) {
                result.put("reason", r.reason());
            }
            return CompletableFuture.completedFuture(result);
        } catch (PluginHostException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
