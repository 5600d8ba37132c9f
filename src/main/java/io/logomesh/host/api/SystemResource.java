package io.logomesh.host.api;

import io.logomesh.host.system.SystemInfo;
import io.logomesh.host.system.SystemReport;
import io.logomesh.host.access.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The host at a glance: engine, runtime images, plugins by state, budget. Delegates to {@link SystemInfo}. */
@Path("/api/v1/system")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "system")
public class SystemResource {

    private static final String EXAMPLE = """
            {"host":{"id":"5d1e0c9a7b3f","version":"0.1.0-SNAPSHOT","apiVersion":"1.0.0",
                     "startedAt":"2026-11-25T10:00:00Z"},
             "engine":{"available":true,"version":"26.1.5","apiVersion":"1.45","os":"Debian GNU/Linux 12 (bookworm)",
                       "cgroupVersion":"2","message":null},
             "images":{"nodejs":{"image":"logomesh-runtime-nodejs:latest","present":true},
                       "python":{"image":"logomesh-runtime-python:latest","present":true},
                       "webassembly":{"image":"logomesh-runtime-wasm:latest","present":false}},
             "plugins":{"total":2,"byState":{"INSTALLED":1,"STARTING":0,"ACTIVE":1,"STOPPING":0,"INACTIVE":0,"FAILED":0}},
             "budget":null}""";

    private final SystemInfo system;

    @Inject
    public SystemResource(SystemInfo system) {
        this.system = system;
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Operation(summary = "Describe the host",
            description = "This host (id, version, API version, start time); the Docker engine (version, API "
                    + "version, OS, cgroup version, or available false with a message when it does not answer); "
                    + "each runtime's image and whether it is present; plugins counted by state; the resource "
                    + "budget (null when none is configured).")
    @APIResponse(responseCode = "200", description = "The host",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SystemReport.class),
                    examples = @ExampleObject(name = "healthy", value = EXAMPLE)))
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public SystemReport describe() {
        return system.report();
    }
}
