package io.logomesh.host.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.plugin.HostCallHandler;
import io.logomesh.host.plugin.PluginHandle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Serves a plugin's own resource calls: {@code getResourceUsage} (its report), {@code requestResource
 * {type, amount}} (a grant) and {@code releaseResource {grantId}} (null). Refusals are errors with code
 * {@code denied} and the reason.
 */
@ApplicationScoped
public class ResourceCallHandler implements HostCallHandler {

    private final UsageReports reports;
    private final GrantService grants;
    private final ObjectMapper mapper;

    @Inject
    public ResourceCallHandler(UsageReports reports, GrantService grants, ObjectMapper mapper) {
        this.reports = reports;
        this.grants = grants;
        this.mapper = mapper;
    }

    @Override
    public Set<String> requests() {
        return Set.of("getResourceUsage", "requestResource", "releaseResource");
    }

    @Override
    public CompletionStage<JsonNode> onRequest(PluginHandle caller, String method, ObjectNode params) {
        // off the connection's reader: sampling and docker update may take a moment
        return CompletableFuture.supplyAsync(() -> answer(caller, method, params),
                r -> Thread.ofVirtual().name("resource-call-" + caller.id()).start(r));
    }

    private JsonNode answer(PluginHandle caller, String method, ObjectNode params) {
        return switch (method) {
            case "getResourceUsage" -> mapper.valueToTree(reports.report(caller));
            case "requestResource" -> {
                JsonNode type = params.path("type");
                JsonNode amount = params.path("amount");
                if (!type.isTextual() || !amount.isNumber()) {
                    throw new GrantDeniedException("requestResource needs {\"type\": \"memory\"|\"cpu\", "
                            + "\"amount\": <number>}");
                }
                yield mapper.valueToTree(grants.request(caller, type.asText(), amount.asDouble()));
            }
            case "releaseResource" -> {
                JsonNode grantId = params.path("grantId");
                if (!grantId.isTextual()) {
                    throw new GrantDeniedException("releaseResource needs {\"grantId\": \"...\"}");
                }
                grants.release(caller, grantId.asText());
                yield NullNode.getInstance();
            }
            default -> throw new IllegalStateException("not a resource call: " + method);
        };
    }

}
