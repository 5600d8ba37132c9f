/*
 * hello-c: a LogoMesh WebAssembly plugin in C (runtime-images/wasm/logomesh.h, ABI.md).
 * Build (make wasm-plugins does it; Debian: clang lld wasi-libc libclang-rt-dev-wasm32):
 *   clang --target=wasm32-wasi -mexec-model=reactor -O2 -I ../../runtime-images/wasm -o plugin.wasm plugin.c
 *
 * actions: echo (the payload back), greet ({"name": "Ada"} -> {"greeting": "Hello, Ada!"}; the word from
 * the manifest's config), usage (its own
 * ResourceUsageReport via a host import), emit (an event via host_call; a refusal fails the action with
 * the host's "<code>: <message>"), selftest (every import once: what each answered).
 * messages: ping -> "pong".
 */
#define LOGOMESH_IMPLEMENTATION
#include "logomesh.h"

#include <stdio.h>
#include <stdlib.h>

static char greeting[64] = "Hello";

/* the string value of "key":"..." in compact JSON (a scan is enough for flat objects); its length, or -1 */
static int32_t string_field(const char *json, int32_t len, const char *key, const char **value) {
    char pattern[40];
    int p = snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    for (int32_t i = 0; i + p <= len; i++) {
        if (memcmp(json + i, pattern, (size_t)p) == 0) {
            const char *start = json + i + p;
            const char *end = memchr(start, '"', (size_t)(json + len - start));
            if (!end) return -1;
            *value = start;
            return (int32_t)(end - start);
        }
    }
    return -1;
}

/* the manifest's config: {"greeting": "..."} changes the greeting word */
LOGOMESH_EXPORT(initialize) int32_t initialize(const char *config, int32_t len) {
    const char *value;
    int32_t n = string_field(config, len, "greeting", &value);
    if (n >= 0) {
        if (n >= (int32_t)sizeof greeting) n = sizeof greeting - 1;
        memcpy(greeting, value, (size_t)n);
        greeting[n] = 0;
    }
    logomesh_log_str(LOGOMESH_INFO, "initialized");
    return 0;
}

LOGOMESH_EXPORT(activate) int32_t activate(void) {
    logomesh_log_str(LOGOMESH_INFO, "active");
    return 0;
}

LOGOMESH_EXPORT(deactivate) int32_t deactivate(void) {
    logomesh_log_str(LOGOMESH_INFO, "inactive");
    return 0;
}

/* "resolved", or the code of a host error answer {"code":"...",...}; frees the answer */
static void code_of(int64_t answer, char *out, size_t size) {
    if (logomesh_ok(answer)) {
        snprintf(out, size, "resolved");
    } else {
        const char *text = logomesh_answer_ptr(answer);
        int32_t len = logomesh_answer_len(answer);
        const char *start = memchr(text, ':', (size_t)len);   /* {"code":"denied",... */
        int n = 0;
        if (start && start + 2 < text + len) {
            start += 2;
            while (start + n < text + len && start[n] != '"') n++;
        }
        snprintf(out, size, "%.*s", n, start ? start : "");
    }
    logomesh_answer_free(answer);
}

static int64_t selftest(void) {
    char missing[32], emit_denied[32], resource[32], release[32], permission[32], audit[32];
    logomesh_log_str(LOGOMESH_DEBUG, "d");
    logomesh_log_str(LOGOMESH_WARN, "w");
    logomesh_log_str(LOGOMESH_ERROR, "e");
    static const char target[] = "sdk-no-such-plugin", msg[] = "{\"type\":\"ping\",\"data\":null}";
    code_of(logomesh_send_message(target, sizeof target - 1, msg, sizeof msg - 1), missing, sizeof missing);
    int64_t usage = logomesh_get_resource_usage();
    int usage_ok = logomesh_ok(usage) && logomesh_answer_len(usage) > 0;
    logomesh_answer_free(usage);
    code_of(logomesh_call("emit", "{\"topic\":\"other.topic\",\"data\":1}"), emit_denied, sizeof emit_denied);
    code_of(logomesh_call("requestResource", "{\"type\":\"memory\",\"amount\":8}"), resource, sizeof resource);
    code_of(logomesh_call("releaseResource", "{\"grantId\":\"no-such-grant\"}"), release, sizeof release);
    code_of(logomesh_call("requestPermission", "{\"permission\":\"events:publish:sdk.other\"}"), permission, sizeof permission);
    code_of(logomesh_call("auditLog", "{\"event\":{\"selftest\":true}}"), audit, sizeof audit);
    char out[512];
    int n = snprintf(out, sizeof out,
                     "{\"greeting\":\"%s\",\"missing\":\"%s\",\"usage\":%s,\"emitDenied\":\"%s\",\"resource\":\"%s\","
                     "\"release\":\"%s\",\"permission\":\"%s\",\"audited\":\"%s\"}",
                     greeting, missing, usage_ok ? "true" : "false", emit_denied, resource, release, permission, audit);
    return logomesh_result_copy(out, n);
}

LOGOMESH_EXPORT(execute) int64_t execute(const char *type, int32_t type_len, const char *payload, int32_t payload_len) {
    if (logomesh_eq(type, type_len, "echo")) {
        return logomesh_result(payload, payload_len); /* an input buffer handed back: freed once */
    }
    if (logomesh_eq(type, type_len, "greet")) { /* {"name": "Ada"} -> {"greeting": "Hello, Ada!"} */
        const char *name = "world";
        int32_t name_len = string_field(payload, payload_len, "name", &name);
        if (name_len < 0) name_len = 5;
        char out[200];
        int n = snprintf(out, sizeof out, "{\"greeting\":\"%s, %.*s!\"}", greeting, name_len > 100 ? 100 : (int)name_len, name);
        return logomesh_result_copy(out, n);
    }
    if (logomesh_eq(type, type_len, "usage")) {
        int64_t answer = logomesh_get_resource_usage();
        if (!logomesh_ok(answer)) {
            logomesh_set_error(logomesh_answer_ptr(answer), logomesh_answer_len(answer));
            logomesh_answer_free(answer);
            return 0;
        }
        return answer; /* the answer buffer is ours: hand it on as the result */
    }
    if (logomesh_eq(type, type_len, "emit")) {
        int64_t answer = logomesh_call("emit", "{\"topic\":\"hello-c.greeted\",\"data\":null}");
        if (!logomesh_ok(answer)) { /* e.g. "denied: ..." without events:publish:hello-c.* */
            logomesh_set_error(logomesh_answer_ptr(answer), logomesh_answer_len(answer));
            logomesh_answer_free(answer);
            return 0;
        }
        return answer;
    }
    if (logomesh_eq(type, type_len, "selftest")) {
        return selftest();
    }
    char error[160];
    int n = snprintf(error, sizeof error, "unknown action type '%.*s' (try echo, greet, usage, emit)",
                     type_len > 64 ? 64 : (int)type_len, type);
    logomesh_set_error(error, n);
    return 0;
}

LOGOMESH_EXPORT(on_message) int64_t on_message(const char *type, int32_t type_len, const char *data, int32_t data_len,
                                               const char *from, int32_t from_len) {
    (void)data; (void)data_len; (void)from; (void)from_len;
    if (logomesh_eq(type, type_len, "ping")) return logomesh_result_copy("\"pong\"", 6);
    logomesh_set_error_str("no_handler: hello-c answers only ping");
    return 0;
}
