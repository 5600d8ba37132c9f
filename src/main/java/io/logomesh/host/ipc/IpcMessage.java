package io.logomesh.host.ipc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * One message of the IPC protocol (see {@code runtime-images/PROTOCOL.md}):
 * a frame with {@code method} is a {@link Request} (with {@code id}) or a
 * {@link Notification} (without); a frame without {@code method} is a {@link Response}.
 */
public sealed interface IpcMessage {

    /** The JSON object to put on the wire. */
    ObjectNode toJson(ObjectMapper mapper);

    /**
     * Parses a frame payload. Returns empty for garbage: not UTF-8 JSON, not exactly one object,
     * a non-integer {@code id}, a non-text {@code method}, {@code params} that is not an
     * object, a response with neither {@code result} nor {@code error}, or an
     * {@code error} without a text {@code code}. A missing or null {@code params} reads
     * as an empty object; a missing error {@code message} as an empty string.
     */
    static Optional<IpcMessage> parse(byte[] payload, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(payload);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode id = root.get("id");
        if (id != null && !(id.isIntegralNumber() && id.canConvertToLong())) {
            return Optional.empty();
        }
        JsonNode method = root.get("method");
        if (method != null) {
            return parseCall(id, method, root.get("params"), mapper);
        }
        if (id == null) {
            return Optional.empty();
        }
        return parseResponse(id.longValue(), root);
    }

    private static Optional<IpcMessage> parseCall(JsonNode id, JsonNode method, JsonNode params,
            ObjectMapper mapper) {
        if (!method.isTextual()) {
            return Optional.empty();
        }
        ObjectNode paramsObject;
        if (params == null || params.isNull()) {
            paramsObject = mapper.createObjectNode();
        } else if (params.isObject()) {
            paramsObject = (ObjectNode) params;
        } else {
            return Optional.empty();
        }
        if (id == null) {
            return Optional.of(new Notification(method.textValue(), paramsObject));
        }
        return Optional.of(new Request(id.longValue(), method.textValue(), paramsObject));
    }

    private static Optional<IpcMessage> parseResponse(long id, JsonNode root) {
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            JsonNode code = error.get("code");
            if (!error.isObject() || code == null || !code.isTextual()) {
                return Optional.empty();
            }
            JsonNode message = error.get("message");
            String text = message != null && message.isTextual() ? message.textValue() : "";
            return Optional.of(Response.failure(id, new RpcError(code.textValue(), text)));
        }
        JsonNode result = root.get("result");
        if (result == null) {
            return Optional.empty();
        }
        return Optional.of(Response.success(id, result));
    }

    /** A call that expects a {@link Response} carrying the same id. */
    record Request(long id, String method, ObjectNode params) implements IpcMessage {

        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode();
            node.put("id", id);
            node.put("method", method);
            node.set("params", params == null ? mapper.createObjectNode() : params);
            return node;
        }
    }

    /** The answer to a request: exactly one of {@code result} and {@code error} is set. */
    record Response(long id, JsonNode result, RpcError error) implements IpcMessage {

        /** A successful response; a Java {@code null} result becomes JSON {@code null}. */
        public static Response success(long id, JsonNode result) {
            return new Response(id, result == null ? NullNode.getInstance() : result, null);
        }

        /** An error response. */
        public static Response failure(long id, RpcError error) {
            return new Response(id, null, error);
        }

        /** True for an error response. */
        public boolean isError() {
            return error != null;
        }

        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode();
            node.put("id", id);
            if (error != null) {
                ObjectNode err = node.putObject("error");
                err.put("code", error.code());
                err.put("message", error.message());
            } else {
                node.set("result", result == null ? NullNode.getInstance() : result);
            }
            return node;
        }
    }

    /** A one-way message; nothing answers it. */
    record Notification(String method, ObjectNode params) implements IpcMessage {

        @Override
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode();
            node.put("method", method);
            node.set("params", params == null ? mapper.createObjectNode() : params);
            return node;
        }
    }
}
