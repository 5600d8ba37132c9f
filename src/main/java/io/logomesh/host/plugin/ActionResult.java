package io.logomesh.host.plugin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of one action: the plugin's return value, or the message of what it threw.
 *
 * @param success    whether execute returned normally
 * @param result     its return value (when success)
 * @param error      the error message (when not)
 * @param durationMs round trip inside the host, in milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionResult(boolean success, JsonNode result, String error, long durationMs) {

    static ActionResult ok(JsonNode result, long durationMs) {
        return new ActionResult(true, result, null, durationMs);
    }

    static ActionResult failed(String error, long durationMs) {
        return new ActionResult(false, null, error, durationMs);
    }
}
