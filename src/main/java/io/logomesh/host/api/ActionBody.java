package io.logomesh.host.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Request body of {@code POST /plugins/{id}/actions}.
 *
 * @param type    action type (required)
 * @param payload any JSON
 * @param id      optional caller-chosen id
 */
public record ActionBody(
        @Schema(required = true, description = "action type the plugin's execute switches on", example = "echo",
                maxLength = 200) String type,
        @Schema(description = "any JSON, handed to the plugin as action.payload") JsonNode payload,
        @Schema(description = "optional caller-chosen action id (default: a random UUID)") String id) {
}
