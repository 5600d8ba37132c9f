package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An action for a plugin's {@code execute(action, ctx)}.
 *
 * @param id      caller's id, or one the host made up
 * @param type    action type
 * @param payload any JSON (null allowed)
 */
public record ActionRequest(String id, String type, JsonNode payload) {
}
