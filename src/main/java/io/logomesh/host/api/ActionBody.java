package io.logomesh.host.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Request body of {@code POST /plugins/{id}/actions}.
 *
 * @param type    action type (required)
 * @param payload any JSON
 * @param id      optional caller-chosen id
 */
public record ActionBody(String type, JsonNode payload, String id) {
}
