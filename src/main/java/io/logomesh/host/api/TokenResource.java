package io.logomesh.host.api;

import io.logomesh.host.access.IssuedToken;
import io.logomesh.host.access.Role;
import io.logomesh.host.access.TokenInfo;
import io.logomesh.host.access.TokenStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
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

/** Token management (admin only): create a token with a role (shown once), list tokens (never shown), revoke. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
@RolesAllowed(Role.ADMIN_NAME)
public class TokenResource {

    private static final String JSON = MediaType.APPLICATION_JSON;

    private final TokenStore tokens;

    @Inject
    public TokenResource(TokenStore tokens) {
        this.tokens = tokens;
    }

    /** Body of {@code POST /api/v1/tokens}. */
    @Schema(description = "What the new token may do")
    public record TokenRequest(
            @Schema(required = true, description = "admin, operator, viewer, caller or metrics", example = "caller")
            String role,
            @Schema(description = "a label (1-64 letters, digits, spaces, ._@:-)", example = "shop-frontend") String name,
            @Schema(description = "caller tokens (required there, nowhere else): the plugins whose actions it may run",
                    example = "[\"hello-node\"]") List<String> plugins) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a token",
            description = "Answers the token once; only its SHA-256 is stored, so it cannot be shown again.")
    @APIResponse(responseCode = "201", description = "Created; `token` is shown this once",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = IssuedToken.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.TOKEN_ISSUED)))
    @APIResponse(responseCode = "400", description = "Bad role, name or plugins; or too many tokens",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public RestResponse<IssuedToken> create(TokenRequest body) {
        if (body == null) {
            throw new InvalidRequestException("a token needs a JSON body with a \"role\"");
        }
        IssuedToken issued = tokens.create(body.role(), body.name(), body.plugins());
        return RestResponse.ResponseBuilder.<IssuedToken>created(
                UriBuilder.fromPath("/api/v1/tokens/{id}").build(issued.info().id())).entity(issued).build();
    }

    @GET
    @Operation(summary = "List tokens", description = "Every token's id, role, name and scope; never a token.")
    @APIResponse(responseCode = "200", description = "The tokens, the initial admin token first",
            content = @Content(mediaType = JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = TokenInfo.class),
                    examples = @ExampleObject(name = "ok", value = ApiExamples.TOKEN_LIST)))
    public List<TokenInfo> list() {
        return tokens.list();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a token", description = "The next request that presents it is 401. The initial "
            + "token cannot be revoked here (change LOGOMESH_API_TOKEN or <data>/api-token and restart).")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No token with this id",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "The initial token",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ErrorBody.class)))
    public RestResponse<Void> revoke(@Parameter(description = "The token's id") @PathParam("id") String id) {
        tokens.revoke(id);
        return RestResponse.noContent();
    }
}
