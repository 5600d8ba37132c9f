package io.logomesh.host.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.logomesh.host.manifest.ManifestViolation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Every error the API returns: a code and one sentence, plus the violations of a
 * rejected bundle, the current state for a refused transition, or {@code success:false}
 * for an action that timed out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Every error: a code and one sentence, plus what applies to the failure")
public record ErrorBody(
        @Schema(required = true, description = "machine-readable code", example = "plugin_not_found") String error,
        @Schema(required = true, description = "one sentence for people") String message,
        @Schema(description = "every manifest violation of a rejected bundle") List<ManifestViolation> errors,
        @Schema(description = "the plugin's current state, when a transition was refused") String state,
        @Schema(description = "false, when an action timed out") Boolean success,
        @Schema(description = "why the last runs of a FAILED plugin ended, oldest first") List<String> reasons) {

    ErrorBody(String error, String message, List<ManifestViolation> errors, String state, Boolean success) {
        this(error, message, errors, state, success, null);
    }

    static ErrorBody of(String error, String message) {
        return new ErrorBody(error, message, null, null, null);
    }
}
