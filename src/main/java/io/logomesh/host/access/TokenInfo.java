package io.logomesh.host.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** What the API says about a token: never the token itself, never its hash. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A token as listed: its id, role and scope; never the token")
public record TokenInfo(
        @Schema(required = true, description = "the token's id; audit records name it", example = "tok_3f9a1c2b7d4e")
        String id,
        @Schema(description = "a label chosen at creation", example = "ci-deployer") String name,
        @Schema(required = true, description = "admin, operator, viewer, caller or metrics", example = "operator")
        String role,
        @Schema(description = "caller tokens: the plugins whose actions it may run") List<String> plugins,
        @Schema(description = "when it was created (absent for the initial token)") Instant createdAt,
        @Schema(description = "true for the initial admin token (LOGOMESH_API_TOKEN or <data>/api-token), "
                + "which cannot be revoked through the API") Boolean initial) {
}
