package io.logomesh.host.api;

import io.logomesh.host.manifest.ManifestValidator;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Serves the manifest's JSON Schema as the host validates it. */
@Path("/api/v1/schema")
public class SchemaResource {

    private final ManifestValidator validator;

    @Inject
    public SchemaResource(ManifestValidator validator) {
        this.validator = validator;
    }

    @GET
    @Path("manifest")
    @Produces(MediaType.APPLICATION_JSON)
    public String manifest() {
        return validator.schemaText();
    }
}
