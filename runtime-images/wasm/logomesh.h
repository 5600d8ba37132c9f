/*
 * logomesh.h -- the LogoMesh WebAssembly plugin ABI v1 for C (runtime-images/wasm/ABI.md).
 *
 * Build a plugin (Debian 12: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32):
 *   clang --target=wasm32-wasi -mexec-model=reactor -O2 -I runtime-images/wasm -o plugin.wasm plugin.c
 * A reactor, not a command: no main(). Example: plugins/hello-c/plugin.c.
 *
 * One translation unit defines LOGOMESH_IMPLEMENTATION before including this header: that gives the
 * module the `alloc`/`dealloc` exports the runtime needs (malloc/free from wasi-libc).
 *
 * What the plugin exports (LOGOMESH_EXPORT(name) in front of a definition):
 *   int32_t  initialize(const char *config_json, int32_t len)           optional; 0 = success
 *   int32_t  activate(void)                                             required; 0 = success
 *   int32_t  deactivate(void)                                           required
 *   int32_t  dispose(void)                                              optional
 *   int64_t  execute(const char *type, int32_t type_len,
 *                    const char *payload_json, int32_t payload_len)     required: the result JSON
 *   int64_t  on_message(const char *type, int32_t type_len, const char *data_json, int32_t data_len,
 *                       const char *from, int32_t from_len)             optional: the reply JSON
 *   int64_t  on_event(... as on_message ...)                            optional: the result is ignored
 * An i64 result is logomesh_result(ptr, len) of UTF-8 JSON in linear memory (0 = null); the runtime
 * copies it and calls dealloc(ptr, len), so hand out a buffer from logomesh_alloc (or an input buffer).
 * Inputs are not terminated: use the lengths. A non-zero status, logomesh_set_error() or a trap fails
 * the call (a trap also gives the module a fresh instance: state does not survive it).
 */
#ifndef LOGOMESH_H
#define LOGOMESH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LOGOMESH_ABI_VERSION 1

/** Put in front of a function definition to export it under `name` (e.g. LOGOMESH_EXPORT(execute)). */
#define LOGOMESH_EXPORT(name) __attribute__((export_name(#name)))
#define LOGOMESH_IMPORT(name) __attribute__((import_module("logomesh"), import_name(#name)))

/* log levels of logomesh_log */
enum logomesh_level { LOGOMESH_DEBUG = 0, LOGOMESH_INFO = 1, LOGOMESH_WARN = 2, LOGOMESH_ERROR = 3 };

/* the `code` of a host error object {"code", "message"} (PROTOCOL.md); a receiver's own code passes through */
#define LOGOMESH_DENIED "denied"
#define LOGOMESH_NOT_FOUND "not_found"
#define LOGOMESH_NOT_ACTIVE "not_active"
#define LOGOMESH_NO_HANDLER "no_handler"
#define LOGOMESH_TIMEOUT "timeout"
#define LOGOMESH_TOO_LARGE "too_large"
#define LOGOMESH_RATE_LIMITED "rate_limited"
#define LOGOMESH_BUSY "busy"
#define LOGOMESH_BAD_REQUEST "bad_request"
#define LOGOMESH_UNSUPPORTED "unsupported"
#define LOGOMESH_INVALID_EVENT "invalid_event"
#define LOGOMESH_UNKNOWN_METHOD "unknown_method"
#define LOGOMESH_FRAME_TOO_LARGE "frame_too_large"
#define LOGOMESH_CLOSED "closed"
#define LOGOMESH_PLUGIN_ERROR "plugin_error"

/* ---- host imports (module "logomesh") ---- */

/** A log line (level 0..3), at most 32 Ki characters. */
LOGOMESH_IMPORT(log) void logomesh_log(int32_t level, const char *text, int32_t len);
/** Fails the current call with this text (a host error object reads "<code>: <message>"). */
LOGOMESH_IMPORT(set_error) void logomesh_set_error(const char *text, int32_t len);
/** sendMessage {target, message}: message is JSON {"type", "data"}. Answer: see logomesh_ok. */
LOGOMESH_IMPORT(send_message) int64_t logomesh_send_message(const char *target, int32_t target_len,
                                                            const char *message_json, int32_t message_len);
/** getResourceUsage {}: the ResourceUsageReport. Answer: see logomesh_ok. */
LOGOMESH_IMPORT(get_resource_usage) int64_t logomesh_get_resource_usage(void);
/** Any plugin -> host request (emit, requestResource, releaseResource, requestPermission, auditLog, ...);
 *  params JSON ((0, 0) = {}). Answer: see logomesh_ok. */
LOGOMESH_IMPORT(host_call) int64_t logomesh_host_call(const char *method, int32_t method_len,
                                                      const char *params_json, int32_t params_len);

/* ---- the allocator the runtime calls (exports alloc/dealloc; LOGOMESH_IMPLEMENTATION) ---- */

/** A buffer the runtime may take over (a result) or that it gave (a host answer): free with logomesh_free. */
void *logomesh_alloc(int32_t len);
void logomesh_free(void *ptr, int32_t len);

/* ---- values across the boundary ---- */

/** ptr << 32 | len: what execute/on_message return. (0, 0) is null. */
static inline int64_t logomesh_result(const void *ptr, int32_t len) {
    return (int64_t)(((uint64_t)(uintptr_t)ptr << 32) | (uint32_t)len);
}

/** A host answer: positive = the result JSON, negative = an error object {"code", "message"}, 0 = null. */
static inline int logomesh_ok(int64_t answer) { return answer >= 0; }
static inline char *logomesh_answer_ptr(int64_t answer) {
    uint64_t v = (uint64_t)(answer < 0 ? -answer : answer);
    return (char *)(uintptr_t)(v >> 32);
}
static inline int32_t logomesh_answer_len(int64_t answer) {
    uint64_t v = (uint64_t)(answer < 0 ? -answer : answer);
    return (int32_t)(v & 0xffffffffu);
}
/** Gives a host answer's buffer back (the module owns it). */
static inline void logomesh_answer_free(int64_t answer) {
    if (answer != 0) logomesh_free(logomesh_answer_ptr(answer), logomesh_answer_len(answer));
}

/** A copy of (text, len) as a result the runtime takes over. */
static inline int64_t logomesh_result_copy(const char *text, int32_t len) {
    char *out = (char *)logomesh_alloc(len);
    if (!out && len) __builtin_trap(); /* out of memory: fail the call */
    memcpy(out, text, (size_t)len);
    return logomesh_result(out, len);
}

/** A NUL-terminated string, logged at `level`. */
static inline void logomesh_log_str(int32_t level, const char *text) {
    logomesh_log(level, text, (int32_t)strlen(text));
}
static inline void logomesh_set_error_str(const char *text) {
    logomesh_set_error(text, (int32_t)strlen(text));
}
/** logomesh_host_call with NUL-terminated method and params. */
static inline int64_t logomesh_call(const char *method, const char *params_json) {
    return logomesh_host_call(method, (int32_t)strlen(method), params_json, params_json ? (int32_t)strlen(params_json) : 0);
}
/** 1 when (text, len) equals the NUL-terminated `s`. */
static inline int logomesh_eq(const char *text, int32_t len, const char *s) {
    return (size_t)len == strlen(s) && memcmp(text, s, (size_t)len) == 0;
}

#ifdef LOGOMESH_IMPLEMENTATION
#include <stdlib.h>
LOGOMESH_EXPORT(alloc) void *logomesh_alloc(int32_t len) { return malloc(len > 0 ? (size_t)len : 1); }
LOGOMESH_EXPORT(dealloc) void logomesh_free(void *ptr, int32_t len) { (void)len; free(ptr); }
#endif

#ifdef __cplusplus
}
#endif
#endif /* LOGOMESH_H */
