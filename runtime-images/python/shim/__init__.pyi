"""Type stub of the LogoMesh Python plugin API (host API 1.0.0, runtime-images/PROTOCOL.md v1).

Shipped in the runtime image beside the package and copied into every scaffolded Python plugin as
``typings/logomesh_shim/__init__.pyi`` (``mypy --strict`` with ``mypy_path = typings``).

``ctx`` is one object with two views: called from a plain ``def`` (run in a worker thread) host calls
block and return the value -- annotate ``ctx: Context``; called from an ``async def`` (run on the event
loop) they return awaitables -- annotate ``ctx: AsyncContext``. A refused call raises ``HostError``.

    from logomesh_shim import Action, Context, HostError, DENIED

    def execute(action: Action, ctx: Context) -> object:
        try:
            ctx.emit("orders.created", {"id": 7})
        except HostError as err:
            if err.code == DENIED:
                ctx.log.warn("no events:publish permission")
        return action["payload"]
"""
from typing import Any, Awaitable, Callable, Literal, Mapping, Protocol, TypedDict, Union

JsonValue = Any
"""Any JSON value (dict, list, str, int, float, bool, None)."""

DENIED: Literal["denied"]
NOT_FOUND: Literal["not_found"]
NOT_ACTIVE: Literal["not_active"]
NO_HANDLER: Literal["no_handler"]
TIMEOUT: Literal["timeout"]
TOO_LARGE: Literal["too_large"]
RATE_LIMITED: Literal["rate_limited"]
BUSY: Literal["busy"]
BAD_REQUEST: Literal["bad_request"]
UNSUPPORTED: Literal["unsupported"]
INVALID_EVENT: Literal["invalid_event"]
FRAME_TOO_LARGE: Literal["frame_too_large"]
CLOSED: Literal["closed"]
PLUGIN_ERROR: Literal["plugin_error"]
ERROR_CODES: tuple[str, ...]


class HostError(Exception):
    """A host call's refusal: ``code`` is one of the constants above (or a receiver's own code)."""
    code: str
    message: str
    def __init__(self, code: str, message: str) -> None: ...


class Action(TypedDict):
    """One action, as ``POST /api/v1/plugins/{id}/actions`` sent it."""
    id: str
    type: str
    payload: JsonValue


class Message(TypedDict):
    """A message (``send_message``) or an event (``emit``; ``type`` is the topic), as a handler gets it."""
    type: str
    data: JsonValue


class Grant(TypedDict):
    grantId: str
    pluginId: str
    type: Literal["memory", "cpu"]
    amount: float
    grantedAt: str


class _PermissionAnswerBase(TypedDict):
    permission: str
    status: Literal["granted", "pending", "denied"]


class PermissionAnswer(_PermissionAnswerBase, total=False):
    requestId: str
    reason: str


class Emitted(TypedDict):
    delivered: int


ResourceUsageReport = dict[str, Any]
"""``{"pluginId", "state", "containerId", "timestamp", "usage", "limits", "utilizationPercent", "alerts", "grants"}``
as ``GET /api/v1/plugins/{id}/usage``."""

Handler = Callable[[Message, str], Any]
"""``handler(message, sender_id)``: a message's reply is its (awaited) return value; an event's is ignored."""


class Log(Protocol):
    """``ctx.log(*args)`` logs at info; ``.debug/.info/.warn/.error`` pick the level (``str(arg)`` joined by spaces)."""
    def __call__(self, *args: object) -> Any: ...
    def debug(self, *args: object) -> Any: ...
    def info(self, *args: object) -> Any: ...
    def warn(self, *args: object) -> Any: ...
    def warning(self, *args: object) -> Any: ...
    def error(self, *args: object) -> Any: ...


class _Common(Protocol):
    @property
    def plugin_id(self) -> str: ...
    @property
    def pluginId(self) -> str: ...  # noqa: N802
    @property
    def config(self) -> dict[str, JsonValue]:
        """The manifest's ``config``."""
    @property
    def secrets(self) -> Mapping[str, str]:
        """The plugin's secrets, read-only, by name (new values arrive with a ``config`` event)."""
    @property
    def log(self) -> Log: ...
    def on(self, name: str, handler: Handler) -> "_Common":
        """Registers ``handler(message, sender)`` for a message type or event topic (``config``: the operator
        changed config or secrets). ``@ctx.on("ping")`` without a handler works as a decorator."""
    def off(self, name: str, handler: Union[Handler, None] = None) -> "_Common": ...


class Context(_Common, Protocol):
    """``ctx`` in plain ``def`` plugin code: host calls block and return the value, or raise ``HostError``."""
    def send_message(self, target: str, message: Message) -> JsonValue:
        """The target's reply. Needs ``messaging:<target>``. Codes: not_found, not_active, no_handler, denied,
        timeout, too_large, rate_limited, busy, bad_request, or the receiver's own."""
    def emit(self, topic: str, data: JsonValue = None) -> Emitted:
        """Needs ``events:publish:<topic>``. Codes: denied, rate_limited, bad_request."""
    def request_resource(self, type: Literal["memory", "cpu"], amount: float) -> Grant:
        """Memory in whole MiB, CPU in percent of one core. Needs ``resources:grant``. Code: denied."""
    def release_resource(self, grant_id: str) -> None:
        """Code: denied (unknown grant, or the container still uses more than the lower limit)."""
    def get_resource_usage(self) -> ResourceUsageReport: ...
    def request_permission(self, permission: str, host: str | None = None) -> PermissionAnswer: ...
    def audit_log(self, event: dict[str, JsonValue]) -> None:
        """A JSON object of at most 8 KiB. Codes: invalid_event, too_large, rate_limited."""
    def sendMessage(self, target: str, message: Message) -> JsonValue: ...  # noqa: N802 - the Node.js spelling
    def requestResource(self, type: Literal["memory", "cpu"], amount: float) -> Grant: ...  # noqa: N802
    def releaseResource(self, grant_id: str) -> None: ...  # noqa: N802
    def getResourceUsage(self) -> ResourceUsageReport: ...  # noqa: N802
    def requestPermission(self, permission: str) -> PermissionAnswer: ...  # noqa: N802
    def auditLog(self, event: dict[str, JsonValue]) -> None: ...  # noqa: N802


class AsyncContext(_Common, Protocol):
    """``ctx`` in ``async def`` plugin code: host calls return awaitables (sent at once, even if never awaited)."""
    def send_message(self, target: str, message: Message) -> Awaitable[JsonValue]: ...
    def emit(self, topic: str, data: JsonValue = None) -> Awaitable[Emitted]: ...
    def request_resource(self, type: Literal["memory", "cpu"], amount: float) -> Awaitable[Grant]: ...
    def release_resource(self, grant_id: str) -> Awaitable[None]: ...
    def get_resource_usage(self) -> Awaitable[ResourceUsageReport]: ...
    def request_permission(self, permission: str, host: str | None = None) -> Awaitable[PermissionAnswer]: ...
    def audit_log(self, event: dict[str, JsonValue]) -> Awaitable[None]: ...
    def sendMessage(self, target: str, message: Message) -> Awaitable[JsonValue]: ...  # noqa: N802
    def requestResource(self, type: Literal["memory", "cpu"], amount: float) -> Awaitable[Grant]: ...  # noqa: N802
    def releaseResource(self, grant_id: str) -> Awaitable[None]: ...  # noqa: N802
    def getResourceUsage(self) -> Awaitable[ResourceUsageReport]: ...  # noqa: N802
    def requestPermission(self, permission: str) -> Awaitable[PermissionAnswer]: ...  # noqa: N802
    def auditLog(self, event: dict[str, JsonValue]) -> Awaitable[None]: ...  # noqa: N802
