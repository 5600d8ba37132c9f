package io.logomesh.host.ipc;

/** The {@code error} member of an error response: a snake_case code and one sentence. */
public record RpcError(String code, String message) {
}
