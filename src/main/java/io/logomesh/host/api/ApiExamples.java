package io.logomesh.host.api;

/** Example bodies shown in the OpenAPI document (kept here so the resources stay readable). */
final class ApiExamples {

    static final String PLUGIN = """
            {"id":"hello-node","name":"Hello Node","version":"1.0.0","runtime":"nodejs","state":"ACTIVE",
             "failureReason":null,"containerId":"3f1c2a9e8b7d","uid":23456,
             "manifest":{"id":"hello-node","name":"Hello Node","version":"1.0.0","runtime":"nodejs"},
             "installedAt":"2026-11-25T10:00:00Z","updatedAt":"2026-11-25T10:01:00Z",
             "activatedAt":"2026-11-25T10:01:00Z"}""";

    static final String PLUGIN_LIST = "[" + PLUGIN + "]";

    static final String ACTION = """
            {"type":"echo","payload":{"x":1}}""";

    static final String ACTION_OK = """
            {"success":true,"result":{"x":1},"durationMs":2}""";

    static final String ACTION_FAILED = """
            {"success":false,"error":"unknown action: nope","durationMs":3}""";

    static final String VIOLATIONS = """
            {"error":"manifest_invalid","message":"the manifest has 2 problem(s)",
             "errors":[{"path":"/version","message":"must be a semantic version like 1.2.3"},
                       {"path":"/runtime","message":"must be one of nodejs, python, webassembly"}]}""";

    static final String NOT_FOUND = """
            {"error":"plugin_not_found","message":"no plugin 'nope' is installed"}""";

    static final String ALREADY_INSTALLED = """
            {"error":"plugin_already_installed","message":"plugin 'hello-node' is installed already (version 1.0.0); uninstall it first"}""";

    static final String ILLEGAL_TRANSITION = """
            {"error":"illegal_transition","message":"plugin 'hello-node' is ACTIVE; it cannot be activated","state":"ACTIVE"}""";

    static final String TOO_LARGE = """
            {"error":"bundle_too_large","message":"the bundle is larger than 16777216 bytes"}""";

    static final String ACTIVATION_FAILED = """
            {"error":"activation_failed","message":"plugin 'hello-node' did not start: load_failed: SyntaxError"}""";

    static final String ENGINE_UNAVAILABLE = """
            {"error":"engine_unavailable","message":"the Docker engine does not answer"}""";

    static final String TIMEOUT = """
            {"error":"action_timeout","message":"action 'sleep' outlived 5000 ms; the container was replaced","success":false}""";

    static final String BUSY = """
            {"error":"busy","message":"16 action(s) run and 64 wait already; the plugin's admission queue is full"}""";

    static final String RESTARTING = """
            {"error":"restarting","message":"the container of plugin hello-node is being replaced; retry in a moment"}""";

    static final String BAD_REQUEST = """
            {"error":"invalid_request","message":"an action needs a non-empty \\"type\\""}""";

    static final String UNAUTHORIZED = """
            {"error":"unauthorized","message":"missing Authorization: Bearer <token> header"}""";

    static final String FORBIDDEN = """
            {"error":"forbidden","message":"the token's role may not do this"}""";

    static final String INTERNAL_ERROR = """
            {"error":"internal_error","message":"the host failed to serve this request; see its log"}""";

    private ApiExamples() {
    }
}
