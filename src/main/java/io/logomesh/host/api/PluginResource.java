package io.logomesh.host.api;

import io.logomesh.host.action.ActionService;
import io.logomesh.host.audit.AuditActor;
import io.logomesh.host.plugin.ActionResult;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginSnapshot;
import io.quarkus.security.identity.SecurityIdentity;
import io.logomesh.host.access.Callers;
import io.logomesh.host.access.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.InputStream;
import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * Installs plugins, drives their lifecycle and runs their actions. Delegates to {@link PluginManager} (the pool)
 * and {@link ActionService} (the action path); the action endpoint answers from the plugin's completion without
 * holding a worker thread meanwhile.
 */
@Path("/api/v1/plugins")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "plugins")
@APIResponse(responseCode = "401", description = "Missing or wrong bearer token",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class),
                examples = @ExampleObject(name = "unauthorized", value = ApiExamples.UNAUTHORIZED)))
public class PluginResource {

    private static final String JSON = MediaType.APPLICATION_JSON;
    private static final String ID_DOC = "Plugin id (the manifest's `id`)";
    private static final String CASCADE_ACTIVATE_DOC = "true: activate the plugin's dependencies first, in "
            + "dependency order (default false: refuse while one is not active)";
    private static final String CASCADE_DEACTIVATE_DOC = "true: deactivate the running plugins that depend on it "
            + "first (default false: refuse while there are any)";

    private final PluginManager plugins;
    private final ActionService actions;
    private final SecurityIdentity caller;

    @Inject
    public PluginResource(PluginManager plugins, ActionService actions, SecurityIdentity caller) {
        this.plugins = plugins;
        this.actions = actions;
        this.caller = caller;
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Operation(summary = "Install a plugin bundle",
            description = "Body: a tar.gz of a folder with manifest.json at its root and the code. The manifest is "
                    + "validated against the schema (GET /api/v1/schema/manifest); every violation is listed. "
                    + "The plugin is stored as INSTALLED; no container runs until it is activated.")
    @RequestBody(required = true, description = "The bundle, tar.gz",
            content = @Content(mediaType = "application/gzip",
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "201", description = "Installed; Location names the plugin",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = PluginSnapshot.class),
                    examples = @ExampleObject(name = "installed", value = ApiExamples.PLUGIN)))
    @APIResponse(responseCode = "400", description = "Not a valid bundle; `errors` lists every violation",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "violations", value = ApiExamples.VIOLATIONS)))
    @APIResponse(responseCode = "409", description = "A plugin with this id is installed",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "taken", value = ApiExamples.ALREADY_INSTALLED)))
    @APIResponse(responseCode = "413", description = "Larger than the upload cap",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "too large", value = ApiExamples.TOO_LARGE)))
    @Consumes({"application/gzip", "application/x-gzip", "application/x-tar+gzip", MediaType.APPLICATION_OCTET_STREAM})
    public RestResponse<PluginSnapshot> install(InputStream bundle) {
        PluginSnapshot installed = AuditActor.as(Callers.actor(caller), () -> plugins.install(bundle));
        return RestResponse.ResponseBuilder.<PluginSnapshot>created(
                UriBuilder.fromPath("/api/v1/plugins/{id}").build(installed.id())).entity(installed).build();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Upgrade a plugin in place",
            description = "Body: a tar.gz bundle of the same id (as for install), checked like an install. Refused "
                    + "while an installed dependent's version range would not match the new version. Keeps /data, "
                    + "operator config, secrets and run-time grants. An ACTIVE plugin keeps serving while the new "
                    + "version starts beside it; actions switch to it once it is active, the old one finishes its "
                    + "actions in flight and is removed. If the new version fails to start, the old keeps serving. "
                    + "The previous version is kept for POST /plugins/{id}/rollback.")
    @RequestBody(required = true, description = "The bundle, tar.gz",
            content = @Content(mediaType = "application/gzip",
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "200", description = "Upgraded (the state is what it was)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = PluginSnapshot.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.PLUGIN)))
    @APIResponse(responseCode = "400", description = "Not a valid bundle (`errors` lists every violation), another id "
            + "(`plugin_id_mismatch`), or the operator's config fails the new configSchema (`config_invalid`)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "No such plugin",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "Installed dependents need another version "
            + "(`dependents_incompatible`, naming them), the new version failed to start and the old keeps serving "
            + "(`upgrade_failed`, saying why), or the plugin is busy starting or stopping",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "413", description = "Larger than the upload cap",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    @Consumes({"application/gzip", "application/x-gzip", "application/x-tar+gzip", MediaType.APPLICATION_OCTET_STREAM})
    public PluginSnapshot upgrade(@Parameter(description = ID_DOC, example = "hello-node") @PathParam("id") String id,
                                  InputStream bundle) {
        return AuditActor.as(Callers.actor(caller), () -> plugins.upgrade(id, bundle));
    }

    @POST
    @Path("{id}/rollback")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Roll a plugin back to its previous version",
            description = "The version it ran before its last upgrade, switched to exactly like an upgrade (the "
                    + "current version becomes the previous one).")
    @APIResponse(responseCode = "200", description = "Rolled back",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = PluginSnapshot.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.PLUGIN)))
    @APIResponse(responseCode = "404", description = "No such plugin",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "Never upgraded (`no_previous_version`), or refused as an upgrade "
            + "would be",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public PluginSnapshot rollback(@Parameter(description = ID_DOC, example = "hello-node") @PathParam("id") String id) {
        return AuditActor.as(Callers.actor(caller), () -> plugins.rollback(id));
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Operation(summary = "List installed plugins", description = "Every installed plugin, sorted by id.")
    @APIResponse(responseCode = "200", description = "The plugins",
            content = @Content(mediaType = JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PluginSnapshot.class),
                    examples = @ExampleObject(name = "one plugin", value = ApiExamples.PLUGIN_LIST)))
    public Collection<PluginSnapshot> list() {
        return plugins.list();
    }

    @RolesAllowed(Role.VIEWER_NAME)
    @GET
    @Path("{id}")
    @Operation(summary = "Show one plugin", description = "State, failure reason, container id, uid, manifest, "
            + "timestamps.")
    @APIResponse(responseCode = "200", description = "The plugin",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = PluginSnapshot.class),
                    examples = @ExampleObject(name = "active", value = ApiExamples.PLUGIN)))
    @APIResponse(responseCode = "404", description = "No such plugin",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "unknown", value = ApiExamples.NOT_FOUND)))
    public PluginSnapshot get(@Parameter(description = ID_DOC, example = "hello-node") @PathParam("id") String id) {
        return plugins.get(id).snapshot();
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/activate")
    @Operation(summary = "Activate a plugin",
            description = "Starts its locked-down container, connects its IPC socket, calls initialize and "
                    + "activate; returns once it is ACTIVE (or failed).")
    @APIResponse(responseCode = "200", description = "ACTIVE",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = PluginSnapshot.class),
                    examples = @ExampleObject(name = "active", value = ApiExamples.PLUGIN)))
    @APIResponse(responseCode = "404", description = "No such plugin",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "unknown", value = ApiExamples.NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "The lifecycle forbids it (`state` is the current state), or a "
            + "dependency is missing (`dependency_missing`), in the wrong version (`dependency_conflict`) or not "
            + "active (`dependency_inactive`; use cascade=true)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "already active", value = ApiExamples.ILLEGAL_TRANSITION)))
    @APIResponse(responseCode = "502", description = "The plugin failed to start (reason recorded, state FAILED)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "failed", value = ApiExamples.ACTIVATION_FAILED)))
    @APIResponse(responseCode = "503", description = "The Docker engine does not answer",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "engine gone", value = ApiExamples.ENGINE_UNAVAILABLE)))
    public PluginSnapshot activate(@Parameter(description = ID_DOC, example = "hello-node") @PathParam("id") String id,
                                   @Parameter(description = CASCADE_ACTIVATE_DOC) @QueryParam("cascade") String cascade) {
        boolean cascaded = flag("cascade", cascade);
        return AuditActor.as(Callers.actor(caller), () -> plugins.activate(id, cascaded));
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/deactivate")
    @Operation(summary = "Deactivate a plugin", description = "Calls deactivate, then stops its container; INACTIVE.")
    @APIResponse(responseCode = "200", description = "INACTIVE",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = PluginSnapshot.class),
            examples = @ExampleObject(name = "ok", value = ApiExamples.PLUGIN_INACTIVE)))
    @APIResponse(responseCode = "404", description = "No such plugin",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "unknown", value = ApiExamples.NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "Not running (`state` is the current state), or running plugins "
            + "depend on it (`dependents_active`, named in the message; use cascade=true)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "not running", value = ApiExamples.ILLEGAL_TRANSITION)))
    public PluginSnapshot deactivate(@Parameter(description = ID_DOC, example = "hello-node") @PathParam("id") String id,
                                     @Parameter(description = CASCADE_DEACTIVATE_DOC) @QueryParam("cascade") String cascade) {
        boolean cascaded = flag("cascade", cascade);
        return AuditActor.as(Callers.actor(caller), () -> plugins.deactivate(id, cascaded));
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw new InvalidRequestException("query parameter " + name + " must be true or false");
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @DELETE
    @Path("{id}")
    @Operation(summary = "Uninstall a plugin",
            description = "Deactivates and disposes it when running, then removes its container and files.")
    @APIResponse(responseCode = "204", description = "Gone")
    @APIResponse(responseCode = "404", description = "No such plugin",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "unknown", value = ApiExamples.NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "Busy starting or stopping (`state` is the current state), or "
            + "installed plugins depend on it (`dependents_installed`)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public RestResponse<Void> uninstall(@Parameter(description = ID_DOC, example = "hello-node") @PathParam("id") String id) {
        AuditActor.as(Callers.actor(caller), () -> {
            plugins.uninstall(id);
            return null;
        });
        return RestResponse.noContent();
    }

    @RolesAllowed({Role.OPERATOR_NAME, Role.CALLER_NAME})
    @POST
    @Path("{id}/actions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run an action",
            description = "Calls the plugin's execute({id, type, payload}); the result is its return value, or "
                    + "the message of what it threw (success false). At most the manifest's maxConcurrency actions "
                    + "run inside the plugin at once and a bounded number wait in the host; past that the answer "
                    + "is at once 429 busy (503 restarting while its container is replaced), with Retry-After. "
                    + "maxExecutionTimeMs counts from the moment the action is handed to the plugin (or, while "
                    + "actions handed to it before are still running, from when the last of them ended); an action "
                    + "that outlives it is killed with its container (504); the plugin is started again.")
    @RequestBody(required = true, content = @Content(mediaType = JSON,
            schema = @Schema(implementation = ActionBody.class),
            examples = @ExampleObject(name = "echo", value = ApiExamples.ACTION)))
    @APIResponse(responseCode = "200", description = "The action ran (it may have thrown: success false)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ActionResult.class),
                    examples = {@ExampleObject(name = "ok", value = ApiExamples.ACTION_OK),
                            @ExampleObject(name = "thrown", value = ApiExamples.ACTION_FAILED)}))
    @APIResponse(responseCode = "400", description = "No or bad `type`, or not JSON",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "no type", value = ApiExamples.BAD_REQUEST)))
    @APIResponse(responseCode = "404", description = "No such plugin",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "unknown", value = ApiExamples.NOT_FOUND)))
    @APIResponse(responseCode = "409", description = "Not ACTIVE; `state` is the current state (FAILED: error "
            + "plugin_failed with `reasons`, why its last runs ended)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "504", description = "Outlived maxExecutionTimeMs; the container was replaced",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "timeout", value = ApiExamples.TIMEOUT)))
    @APIResponse(responseCode = "429", description = "The plugin's admission queue is full (maxConcurrency actions "
            + "run inside it and logomesh.actions.queue-per-plugin wait), or the action could not start within its "
            + "deadline; answered at once with Retry-After",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "busy", value = ApiExamples.BUSY)))
    @APIResponse(responseCode = "503", description = "The plugin's container is being replaced, or it is being "
            + "restarted after a crash, an OOM kill or a lost engine (docs/restarts.md); answered at once with "
            + "Retry-After (seconds to its next start)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class),
                    examples = @ExampleObject(name = "restarting", value = ApiExamples.RESTARTING)))
    public CompletionStage<ActionResult> execute(
            @Parameter(description = ID_DOC, example = "hello-node") @PathParam("id") String id, ActionBody body) {
        if (body == null) {
            throw new InvalidRequestException("an action needs a JSON body with a non-empty \"type\"");
        }
        Callers.requireActionOn(caller, id); // a caller token: only the plugins it names
        String actor = Callers.actor(caller);
        return AuditActor.as(actor, () -> actions.run(id, body.type(), body.payload(), body.id(), actor));
    }
}
