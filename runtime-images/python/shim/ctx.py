"""The ``ctx`` object plugin code sees (PROTOCOL.md, "ctx").

Host calls return awaitables on the event loop (``async def`` plugin code) and block
and return the value on any other thread (plain ``def`` plugin code runs in the worker pool,
which frees the caller's slot while it waits, so such calls may wait on each other).
camelCase aliases (``sendMessage``, ...) match the Node.js spelling.
"""
import asyncio

MAX_LOG_CHARS = 32 * 1024


class Log:
    """``ctx.log(*args)`` logs at info; ``ctx.log.debug/info/warn/error(*args)`` pick the level."""

    def __init__(self, conn):
        self._conn = conn

    def _send(self, level, args):
        message = " ".join(str(arg) for arg in args)
        if len(message) > MAX_LOG_CHARS:
            message = message[:MAX_LOG_CHARS] + "… (truncated)"
        self._conn.notify("log", {"level": level, "message": message})
        if self._conn.in_loop():  # harmless to await, harmless to ignore
            done = self._conn.loop.create_future()
            done.set_result(None)
            return done
        return None

    def __call__(self, *args):
        return self._send("info", args)

    def debug(self, *args):
        return self._send("debug", args)

    def info(self, *args):
        return self._send("info", args)

    def warn(self, *args):
        return self._send("warn", args)

    warning = warn

    def error(self, *args):
        return self._send("error", args)


class Context:
    def __init__(self, conn, plugin_id, config, handlers, wait_for=None):
        """``wait_for(coro)`` runs a host call from a thread other than the loop's and blocks for
        its result (the worker pool's, which frees the caller's slot meanwhile)."""
        self._conn = conn
        self._wait_for = wait_for or (lambda coro: asyncio.run_coroutine_threadsafe(coro, conn.loop).result())
        self._handlers = handlers  # shared with the runner: name -> [handler, ...]
        self.plugin_id = plugin_id
        self.config = config
        self.log = Log(conn)

    @property
    def pluginId(self):  # noqa: N802 - the Node.js spelling
        return self.plugin_id

    def _call(self, method, params):
        request = self._conn.request(method, params)
        if self._conn.in_loop():
            return asyncio.ensure_future(request)  # sent now, even if never awaited
        return self._wait_for(request)

    def send_message(self, target, message):
        return self._call("sendMessage", {"target": target, "message": message})

    def emit(self, topic, data=None):
        return self._call("emit", {"topic": topic, "data": data})

    def on(self, name, handler=None):
        """Registers ``handler(message, sender)`` for a message type or event topic;
        without a handler, works as a decorator."""
        if handler is None:
            return lambda fn: self.on(name, fn) and fn
        if not callable(handler):
            raise TypeError("ctx.on(name, handler) needs a callable")
        previous = self._handlers.get(name, [])
        self._handlers[name] = [*previous, handler]
        if not previous:
            self._conn.notify("subscribe", {"name": name})  # the host routes events by these
        return self

    def off(self, name, handler=None):
        remaining = [h for h in self._handlers.get(name, []) if handler is not None and h is not handler]
        if remaining:
            self._handlers[name] = remaining
        elif self._handlers.pop(name, None) is not None:
            self._conn.notify("unsubscribe", {"name": name})
        return self

    def request_resource(self, type, amount):  # noqa: A002 - the protocol's name
        return self._call("requestResource", {"type": type, "amount": amount})

    def release_resource(self, grant_id):
        return self._call("releaseResource", {"grantId": grant_id})

    def get_resource_usage(self):
        return self._call("getResourceUsage", {})

    def request_permission(self, permission, host=None):
        params = {"permission": permission}
        if host is not None:
            params["host"] = str(host)  # request_permission("network", "api.example.com:443")
        return self._call("requestPermission", params)

    def audit_log(self, event):
        return self._call("auditLog", {"event": event})

    sendMessage = send_message  # noqa: N815
    requestResource = request_resource  # noqa: N815
    releaseResource = release_resource  # noqa: N815
    getResourceUsage = get_resource_usage  # noqa: N815
    requestPermission = request_permission  # noqa: N815
    auditLog = audit_log  # noqa: N815
