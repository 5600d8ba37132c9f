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

    static final String ALERT = """
            {"id":"a-1f3c","pluginId":"hello-node","type":"memory","severity":"warning","message":"memory working set at 92% of the limit","current":61865984,"limit":67108864,"timestamp":"2026-11-25T10:05:00Z","acknowledged":false}""";

    static final String AUDIT_PAGE = """
            [{"seq":7,"timestamp":"2026-11-25T10:02:00Z","type":"action","pluginId":"hello-node","actor":"operator","outcome":"ok","details":{"actionType":"echo","actionId":"5d0c","durationMs":3},"prevHash":"9f2a7c0e5b1d4a8f9f2a7c0e5b1d4a8f9f2a7c0e5b1d4a8f9f2a7c0e5b1d4a8f","hash":"1c3e5a7b9d0f2e4c1c3e5a7b9d0f2e4c1c3e5a7b9d0f2e4c1c3e5a7b9d0f2e4c"}]""";

    static final String VERIFY = """
            {"valid":true,"records":7}""";

    static final String AUDIT_HEAD = """
            {"records":7,"lastHash":"1c3e5a7b9d0f2e4c1c3e5a7b9d0f2e4c1c3e5a7b9d0f2e4c1c3e5a7b9d0f2e4c","timestamp":"2026-11-25T10:02:00Z","algorithm":"HmacSHA256","signature":"7b1e0c9d4f2a6e8b7b1e0c9d4f2a6e8b7b1e0c9d4f2a6e8b7b1e0c9d4f2a6e8b"}""";

    static final String USAGE = """
            {"pluginId":"hello-node","state":"ACTIVE","containerId":"3f1c2a9e8b7d","timestamp":"2026-11-25T10:05:00Z","usage":{"memoryMB":21.4,"memoryBytes":22439936,"memoryLimitBytes":67108864,"memoryFailcnt":0,"cpuPercent":1.5,"cpuThrottledPeriods":0,"pids":7,"pidsLimit":64,"networkBytesIn":0,"networkBytesOut":0,"diskReadBytes":0,"diskWriteBytes":0,"uptimeMs":240000,"source":"cgroup-v2"},"alerts":[],"grants":[]}""";

    static final String HISTORY = """
            {"pluginId":"hello-node","samples":[{"timestamp":"2026-11-25T10:05:00Z","memoryBytes":22439936,"memoryMB":21.4,"cpuPercent":1.5,"pids":7,"networkBytesIn":0,"networkBytesOut":0,"diskReadBytes":0,"diskWriteBytes":0}]}""";

    static final String PERMISSION_REQUESTS = """
            [{"id":"pr-42","pluginId":"hello-python","permission":"network","status":"pending","requestedAt":"2026-11-25T10:03:00Z"}]""";

    static final String PERMISSION_GRANTED = """
            {"id":"pr-42","pluginId":"hello-python","permission":"network","status":"granted","requestedAt":"2026-11-25T10:03:00Z","decidedAt":"2026-11-25T10:04:00Z","decidedBy":"operator"}""";

    static final String PERMISSION_DENIED = """
            {"id":"pr-42","pluginId":"hello-python","permission":"network","status":"denied","requestedAt":"2026-11-25T10:03:00Z","decidedAt":"2026-11-25T10:04:00Z","decidedBy":"operator","reason":"not needed"}""";

    static final String SCHEMA = """
            {"$schema":"http://json-schema.org/draft-07/schema#","title":"LogoMesh plugin manifest","type":"object","required":["id","name","version","description","author","runtime","capabilities","permissions","securityLevel"]}""";

    static final String PLUGIN_INACTIVE = """
            {"id":"hello-node","name":"Hello Node","version":"1.0.0","runtime":"nodejs","state":"INACTIVE",
             "failureReason":null,"containerId":null,"uid":23456,
             "manifest":{"id":"hello-node","name":"Hello Node","version":"1.0.0","runtime":"nodejs"},
             "installedAt":"2026-11-25T10:00:00Z","updatedAt":"2026-11-25T10:09:00Z",
             "activatedAt":"2026-11-25T10:01:00Z"}""";

    static final String LOGS = "10:01:00 hello-node activated\n10:02:00 echo {\"x\":1}\n";

    /** The data of one {@code usage} event of the stream (one history sample). */
    static final String USAGE_EVENT = """
            {"timestamp":"2026-11-25T10:05:00Z","memoryBytes":22439936,"memoryMB":21.4,"cpuPercent":1.5,"pids":7,
             "networkBytesIn":0,"networkBytesOut":0,"diskReadBytes":0,"diskWriteBytes":0}""";

    static final String ALERT_LIST = "[" + ALERT + "]";

    private ApiExamples() {
    }
    static final String CONFIG = """
            {"pluginId":"hello-node","bundle":{"greeting":"hello"},"operator":{"greeting":"hi"},\
            "effective":{"greeting":"hi"},"delivered":"live"}""";
    static final String SECRET_NAME = """
            {"name":"API_KEY","updatedAt":"2026-12-01T10:00:00Z"}""";
    static final String SECRET_NAMES = "[" + SECRET_NAME + "]";
    static final String TOKEN_INFO = """
            {"id":"tok_3f9a1c2b7d4e","name":"storefront","role":"caller","plugins":["hello-node"],\
            "createdAt":"2026-12-01T10:00:00Z"}""";
    static final String TOKEN_LIST = "[" + TOKEN_INFO + "]";
    static final String TOKEN_ISSUED = "{\"token\":\"lm_9b2c...\",\"info\":" + TOKEN_INFO + "}";
    static final String EGRESS = """
            {"pluginId":"fetcher","network":true,"socketOpen":true,"allowPrivate":false,\
            "allowList":[{"pattern":"api.example.com:443","source":"manifest"}],"openConnections":1}""";
}
