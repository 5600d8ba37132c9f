package io.logomesh.host.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Map;

/**
 * Completes {@code /q/openapi} with what every operation shares, so generators and linters accept it and the
 * resources need not repeat it: the same-origin server ({@code /}), the license's identifier, and on every
 * {@code /api/v1} operation the answers any call can get besides its own: 401 {@code unauthorized} (no or a
 * wrong bearer token), 403 {@code forbidden} (the token's role may not do this) and 500 {@code internal_error}
 * (the host failed; its log says why), each a shared response in {@code components/responses} with the
 * {@link ErrorBody} schema and an example. A response a resource documents itself is kept as it is.
 * Registered by {@code mp.openapi.filter} (the one filter: it also runs {@link RoleDocFilter} on every operation,
 * which names the role each needs).
 */
public class ApiDocumentFilter implements OASFilter {

    private final RoleDocFilter roles = new RoleDocFilter();

    @Override
    public org.eclipse.microprofile.openapi.models.Operation filterOperation(
            org.eclipse.microprofile.openapi.models.Operation operation) {
        return roles.filterOperation(operation);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Status → name in {@code components/responses}, summary and example body. */
    private record Shared(String status, String name, String description, String example) {
    }

    private static final List<Shared> SHARED = List.of(
            new Shared("401", "Unauthorized", "No `Authorization: Bearer <token>` header, or a token the host does not know",
                    ApiExamples.UNAUTHORIZED),
            new Shared("403", "Forbidden", "The token is valid but its role may not do this", ApiExamples.FORBIDDEN),
            new Shared("500", "InternalError", "The host failed to serve the call (never the caller's fault); its log says why",
                    ApiExamples.INTERNAL_ERROR));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getServers() == null || openAPI.getServers().isEmpty()) {
            openAPI.addServer(OASFactory.createServer().url("/").description("this host (the document's own origin)"));
        }
        if (openAPI.getInfo() != null && openAPI.getInfo().getLicense() != null
                && openAPI.getInfo().getLicense().getIdentifier() == null && openAPI.getInfo().getLicense().getUrl() == null) {
            openAPI.getInfo().getLicense().setIdentifier("LicenseRef-LogoMesh-Proprietary");
        }
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        java.util.Set<Shared> used = new java.util.LinkedHashSet<>(); // only these become components (no unused ones)
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Operation op : path.getValue().getOperations().values()) {
                APIResponses responses = op.getResponses() == null ? OASFactory.createAPIResponses() : op.getResponses();
                op.setResponses(responses);
                for (Shared s : SHARED) {
                    if (!responses.hasAPIResponse(s.status())) {
                        responses.addAPIResponse(s.status(),
                                OASFactory.createAPIResponse().ref("#/components/responses/" + s.name()));
                        used.add(s);
                    }
                }
            }
        }
        for (Shared s : used) {
            components.addResponse(s.name(), errorResponse(s.description(), s.status(), s.example()));
        }
    }

    private static APIResponse errorResponse(String description, String status, String example) {
        Example ex = OASFactory.createExample().summary(status).value(json(example));
        MediaType json = OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("#/components/schemas/ErrorBody"))
                .addExample(status, ex);
        Content content = OASFactory.createContent().addMediaType("application/json", json);
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    /** Parses an example body so the document carries it as JSON, not as a string. */
    private static Object json(String example) {
        try {
            return JSON.readValue(example, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an example in ApiExamples is not JSON", e);
        }
    }
}
