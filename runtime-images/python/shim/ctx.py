"""The ``ctx`` object plugin code sees (PROTOCOL.md, "ctx").

Host calls return awaitables on the event loop (``async def`` plugin code) and block
and return the value on any other thread (plain ``def`` plugin code runs in the worker pool,
which frees the caller's slot while it waits, so such calls may wait on each other).
camelCase aliases (``sendMessage``, ...) match the Node.js spelling.
"""
from __future__ import annotations

import asyncio
import types
from typing import Any, Awaitable, Callable, Union

JsonValue = Any
Handler = Callable[..., Any]
HostCall = Union[JsonValue, "asyncio.Future[JsonValue]"]
"""What a host call returns: a future on the loop, the value on any other thread."""

MAX_LOG_CHARS = 32 * 1024


class Log:
    """``ctx.log(*args)`` logs at info; ``ctx.log.debug/info/warn/error(*args)`` pick the level."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def _send(self, level: str, args: tuple[object, ...]) -> Awaitable[None] | None:
        message = " ".join(str(arg) for arg in args)
        if len(message) > MAX_LOG_CHARS:
            message = message[:MAX_LOG_CHARS] + "… (truncated)"
        self._conn.notify("log", {"level": level, "message": message})
        if self._conn.in_loop():  # harmless to await, harmless to ignore
            done: asyncio.Future[None] = self._conn.loop.create_future()
            done.set_result(None)
            return done
        return None

    def __call__(self, *args: object) -> Awaitable[None] | None:
        return self._send("info", args)

    def debug(self, *args: object) -> Awaitable[None] | None:
        return self._send("debug", args)

    def info(self, *args: object) -> Awaitable[None] | None:
        return self._send("info", args)

    def warn(self, *args: object) -> Awaitable[None] | None:
        return self._send("warn", args)

    warning = warn

    def error(self, *args: object) -> Awaitable[None] | None:
        return self._send("error", args)


class Context:
    def __init__(self, conn: Any, plugin_id: str, config: dict[str, JsonValue], handlers: dict[str, list[Handler]],
                 wait_for: Callable[[Awaitable[JsonValue]], JsonValue] | None = None,
                 secrets: dict[str, str] | None = None) -> None:
        """``wait_for(coro)`` runs a host call from a thread other than the loop's and blocks for
        its result (the worker pool's, which frees the caller's slot meanwhile)."""
        self._conn = conn
        self._wait_for = wait_for or (lambda coro: asyncio.run_coroutine_threadsafe(coro, conn.loop).result())
        self._handlers = handlers  # shared with the runner: name -> [handler, ...]
        self.plugin_id = plugin_id
        self.config = config
        self.log = Log(conn)
        self.secrets: types.MappingProxyType[str, str] = types.MappingProxyType(dict(secrets or {}))  # read-only
        self.config_handlers: list[Handler] = []  # ctx.on("config", ...): the host's own event, never a subscription

    @property
    def pluginId(self) -> str:  # noqa: N802 - the Node.js spelling
        return self.plugin_id

    def _call(self, method: str, params: dict[str, JsonValue]) -> HostCall:
        request = self._conn.request(method, params)
        if self._conn.in_loop():
            return asyncio.ensure_future(request)  # sent now, even if never awaited
        return self._wait_for(request)

    def send_message(self, target: str, message: dict[str, JsonValue]) -> HostCall:
        return self._call("sendMessage", {"target": target, "message": message})

    def emit(self, topic: str, data: JsonValue = None) -> HostCall:
        return self._call("emit", {"topic": topic, "data": data})

    def on(self, name: str, handler: Handler | None = None) -> Any:
        """Registers ``handler(message, sender)`` for a message type or event topic;
        without a handler, works as a decorator."""
        if handler is None:
            return lambda fn: self.on(name, fn) and fn
        if not callable(handler):
            raise TypeError("ctx.on(name, handler) needs a callable")
        if name == "config":
            self.config_handlers.append(handler)
            return self
        previous = self._handlers.get(name, [])
        self._handlers[name] = [*previous, handler]
        if not previous:
            self._conn.notify("subscribe", {"name": name})  # the host routes events by these
        return self

    def off(self, name: str, handler: Handler | None = None) -> Context:
        if name == "config":
            self.config_handlers[:] = [h for h in self.config_handlers if handler is not None and h is not handler]
            return self
        remaining = [h for h in self._handlers.get(name, []) if handler is not None and h is not handler]
        if remaining:
            self._handlers[name] = remaining
        elif self._handlers.pop(name, None) is not None:
            self._conn.notify("unsubscribe", {"name": name})
        return self

    def request_resource(self, type: str, amount: float) -> HostCall:  # noqa: A002 - the protocol's name
        return self._call("requestResource", {"type": type, "amount": amount})

    def release_resource(self, grant_id: str) -> HostCall:
        return self._call("releaseResource", {"grantId": grant_id})

    def get_resource_usage(self) -> HostCall:
        return self._call("getResourceUsage", {})

    def request_permission(self, permission: str, host: str | None = None) -> HostCall:
        params: dict[str, JsonValue] = {"permission": permission}
        if host is not None:
            params["host"] = str(host)  # request_permission("network", "api.example.com:443")
        return self._call("requestPermission", params)

    def audit_log(self, event: dict[str, JsonValue]) -> HostCall:
        return self._call("auditLog", {"event": event})

    sendMessage = send_message  # noqa: N815
    requestResource = request_resource  # noqa: N815
    releaseResource = release_resource  # noqa: N815
    getResourceUsage = get_resource_usage  # noqa: N815
    requestPermission = request_permission  # noqa: N815
    auditLog = audit_log  # noqa: N815
