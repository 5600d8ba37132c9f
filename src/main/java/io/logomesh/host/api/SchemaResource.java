package io.logomesh.host.api;

import io.logomesh.host.manifest.ManifestValidator;
import io.logomesh.host.access.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Serves the manifest's JSON Schema as the host validates it. */
@Path("/api/v1/schema")
@Tag(name = "schema")
public class SchemaResource {

    private final ManifestValidator validator;

    @Inject
    public SchemaResource(ManifestValidator validator) {
        this.validator = validator;
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("manifest")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The manifest's JSON Schema",
            description = "The draft-07 schema every bundle's manifest.json is validated against.")
    @APIResponse(responseCode = "200", description = "The JSON Schema",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT),
            examples = @ExampleObject(name = "ok", value = ApiExamples.SCHEMA)))
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public String manifest() {
        return validator.schemaText();
    }
}
