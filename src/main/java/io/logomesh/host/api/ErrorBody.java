package io.logomesh.host.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.logomesh.host.manifest.ManifestViolation;

import java.util.List;

/**
 * Every error the API returns: a code and one sentence, plus the violations of a
 * rejected bundle, the current state for a refused transition, or {@code success:false}
 * for an action that timed out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, List<ManifestViolation> errors, String state, Boolean success) {

    static ErrorBody of(String error, String message) {
        return new ErrorBody(error, message, null, null, null);
    }
}
