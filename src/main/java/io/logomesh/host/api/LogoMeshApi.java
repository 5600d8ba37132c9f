package io.logomesh.host.api;

import io.logomesh.host.plugin.HostVersions;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The REST control plane as one JAX-RS application: carries the OpenAPI document's
 * title, version and description, and declares the bearer scheme every {@code /api/v1}
 * operation requires (served at {@code /q/openapi}, browsable at {@code /q/swagger-ui}).
 */
@OpenAPIDefinition(
        info = @Info(title = "LogoMesh Plugin Host API", version = LogoMeshApi.API_VERSION,
                description = "Control plane of the LogoMesh Plugin Host: install untrusted plugin bundles, drive their "
                        + "lifecycle in locked-down Docker containers, run their actions, and look at the host. "
                        + "Every /api/v1 call needs `Authorization: Bearer <token>`: the initial admin token "
                        + "(LOGOMESH_API_TOKEN, or the one generated into <data-dir>/api-token) or one made with "
                        + "POST /api/v1/tokens. Each operation says the least role it needs (admin > operator > "
                        + "viewer; caller: only actions on the plugins its token names); 401 without a valid token, "
                        + "403 when its role may not. Errors are always "
                        + "`{\"error\": \"<code>\", \"message\": \"<sentence>\"}`.",
                license = @License(name = "Proprietary")),
        security = @SecurityRequirement(name = LogoMeshApi.BEARER),
        tags = {
                @Tag(name = "plugins", description = "Install, lifecycle and actions of plugins"),
                @Tag(name = "monitoring", description = "Resource usage of plugins, its history and stream, alerts"),
                @Tag(name = "permissions", description = "Run-time permission requests of plugins and operators' decisions"),
                @Tag(name = "audit", description = "The hash-chained audit trail and its verification"),
                @Tag(name = "schema", description = "The plugin manifest's JSON Schema"),
                @Tag(name = "plugin settings", description = "Operator config and write-only secrets of plugins"),
                @Tag(name = "system", description = "The host, its Docker engine and runtime images"),
                @Tag(name = "tokens", description = "API tokens with roles: create (shown once), list, revoke (admin)")
        })
@SecurityScheme(securitySchemeName = LogoMeshApi.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API token: the initial admin token (LOGOMESH_API_TOKEN, else <data-dir>/api-token) or "
                + "one made with POST /api/v1/tokens")
public class LogoMeshApi extends Application {

    /** Version of the REST API (the path carries its major: {@code /api/v1}); declared in {@link HostVersions}. */
    public static final String API_VERSION = HostVersions.API_VERSION;

    /** Name of the bearer security scheme in the OpenAPI document. */
    public static final String BEARER = "bearer";
}
