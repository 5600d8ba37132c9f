package io.logomesh.host.access;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A token just created: the only answer that ever carries the token itself. */
@Schema(description = "A new token: `token` is shown this once and cannot be read again")
public record IssuedToken(
        @Schema(required = true, description = "the bearer token; store it now") String token,
        @Schema(required = true, description = "what GET /api/v1/tokens will list") TokenInfo info) {
}
