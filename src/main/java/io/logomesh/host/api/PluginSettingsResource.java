package io.logomesh.host.api;

import io.logomesh.host.access.Callers;
import io.logomesh.host.access.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import io.logomesh.host.audit.AuditActor;
import io.logomesh.host.plugin.PluginSettingsService;
import io.logomesh.host.settings.SecretStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/**
 * Operators' config values and write-only secrets of a plugin. Delegates to {@link PluginSettingsService}.
 * No answer of this resource (or any other) carries a secret's value.
 */
@Path("/api/v1/plugins")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "plugin settings")
@APIResponse(responseCode = "401", description = "Missing or wrong bearer token",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(responseCode = "404", description = "No such plugin (or secret)",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
public class PluginSettingsResource {

    private static final String ID_DOC = "Plugin id (the manifest's `id`)";
    private static final String NAME_DOC = "Secret name: a letter or _, then letters, digits, _ . - (64 at most)";

    private final PluginSettingsService settings;
    private final SecurityIdentity caller;

    @Inject
    public PluginSettingsResource(PluginSettingsService settings, SecurityIdentity caller) {
        this.caller = caller;
        this.settings = settings;
    }

    /** Body of {@code PUT /plugins/{id}/secrets/{name}}. */
    public record SecretBody(@Schema(required = true, description = "the value (UTF-8, at most 8 KiB)") String value) {
    }

    @GET
    @Path("{id}/config")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Show a plugin's config", description = "The bundle's config, the operator's values and "
            + "the effective config (operator values merged over the bundle's) the plugin gets.")
    @APIResponse(responseCode = "200", description = "The config",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PluginSettingsService.ConfigView.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.CONFIG)))
    public PluginSettingsService.ConfigView config(@Parameter(description = ID_DOC) @PathParam("id") String id) {
        return settings.config(id);
    }

    @PUT
    @Path("{id}/config")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a plugin's operator config",
            description = "Body: a JSON object of operator values (replacing the ones set before; a null removes a "
                    + "bundle key), at most 64 KiB. The effective config is checked against the manifest's "
                    + "configSchema; a running plugin gets it at once (a `config` event), every later activation "
                    + "in initialize.")
    @APIResponse(responseCode = "200", description = "Stored; `delivered` is live or next_activation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PluginSettingsService.ConfigView.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.CONFIG)))
    @APIResponse(responseCode = "400", description = "Not an object, too large, or the configSchema refuses it "
            + "(`config_invalid`; `errors` lists every violation at /config/...)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public PluginSettingsService.ConfigView putConfig(@Parameter(description = ID_DOC) @PathParam("id") String id,
                                                      JsonNode values) {
        return AuditActor.as(Callers.actor(caller), () -> settings.putConfig(id, values));
    }

    @GET
    @Path("{id}/secrets")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "List a plugin's secret names", description = "Names and when each was set; never a value.")
    @APIResponse(responseCode = "200", description = "The names",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = SecretStore.SecretName.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.SECRET_NAMES)))
    public List<SecretStore.SecretName> secretNames(@Parameter(description = ID_DOC) @PathParam("id") String id) {
        return settings.secretNames(id);
    }

    @PUT
    @Path("{id}/secrets/{name}")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a plugin secret (write-only)",
            description = "Stored encrypted (AES-256-GCM under the host's key); given to the plugin as ctx.secrets "
                    + "at its next activation or upgrade; never returned. At most 32 secrets of 8 KiB a plugin.")
    @APIResponse(responseCode = "200", description = "Stored; the answer names it, without the value",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SecretStore.SecretName.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.SECRET_NAME)))
    @APIResponse(responseCode = "400", description = "Bad name or value (`secret_invalid`) or too many (`secret_limit`)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public SecretStore.SecretName putSecret(@Parameter(description = ID_DOC) @PathParam("id") String id,
                                            @Parameter(description = NAME_DOC) @PathParam("name") String name,
                                            SecretBody body) {
        if (body == null || body.value() == null) {
            throw new InvalidRequestException("a secret needs a JSON body {\"value\": \"...\"}");
        }
        return AuditActor.as(Callers.actor(caller), () -> settings.putSecret(id, name, body.value()));
    }

    @DELETE
    @Path("{id}/secrets/{name}")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Delete a plugin secret")
    @APIResponse(responseCode = "204", description = "Gone")
    public RestResponse<Void> deleteSecret(@Parameter(description = ID_DOC) @PathParam("id") String id,
                                           @Parameter(description = NAME_DOC) @PathParam("name") String name) {
        AuditActor.as(Callers.actor(caller), () -> {
            settings.deleteSecret(id, name);
            return null;
        });
        return RestResponse.noContent();
    }
}
