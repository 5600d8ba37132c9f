"""LogoMesh test harness for Python plugins: runs a plugin's lifecycle and actions in this process
against a fake ``ctx`` that records what the plugin does. No Docker, no host. Python >= 3.9, stdlib only.

    from logomesh_testing import Harness

    h = Harness.load("main.py", config={"greeting": "hi"})
    h.start()                                   # initialize + activate
    assert h.execute("echo", {"x": 1}) == {"x": 1}
    assert h.logs[0] == ("info", "active")

What the fake does (docs/plugin-sdk.md):
- ``ctx.log(...)`` / ``.debug/.info/.warn/.error`` are recorded in ``logs`` as ``(level, message)``;
- ``send_message(target, message)`` is recorded in ``sent`` and answered from ``replies[target][type]``
  (a value, or a function ``(message, target) -> reply`` that may raise ``HostError``); an unknown
  target raises ``not_found``, an unknown type ``no_handler``, as the host would;
- ``emit``, ``request_resource``, ``release_resource``, ``request_permission``, ``audit_log`` and
  ``get_resource_usage`` are recorded in ``calls`` as ``(method, params)``; grants need
  ``resources:grant`` in ``permissions``, ``emit`` needs ``events:publish:<topic>`` (``*`` matches any
  run), else they raise ``denied``; ``request_permission`` answers ``permission_answers[permission]``
  (default ``pending``);
- ``ctx.secrets`` is a read-only mapping; ``set_config(config, secrets)`` changes ``ctx.config`` /
  ``ctx.secrets`` and runs the ``config`` handlers;
- like the runtime, plain ``def`` plugin code gets values from host calls, ``async def`` code awaitables;
  results go through JSON (a set or NaN raises ``bad_result``).
When the runtime package ``logomesh_shim`` is not importable (outside the container), a stand-in with
``HostError`` and the error code constants is registered, so ``from logomesh_shim import HostError`` works.
"""
from __future__ import annotations

import asyncio
import importlib.util
import inspect
import json
import re
import sys
import types
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

CODES = {"DENIED": "denied", "NOT_FOUND": "not_found", "NOT_ACTIVE": "not_active", "NO_HANDLER": "no_handler",
         "TIMEOUT": "timeout", "TOO_LARGE": "too_large", "RATE_LIMITED": "rate_limited", "BUSY": "busy",
         "BAD_REQUEST": "bad_request", "UNSUPPORTED": "unsupported", "INVALID_EVENT": "invalid_event",
         "FRAME_TOO_LARGE": "frame_too_large", "CLOSED": "closed", "PLUGIN_ERROR": "plugin_error"}
MAX_LOG_CHARS = 32 * 1024


def _stand_in() -> Any:
    try:
        import logomesh_shim  # noqa: F401 - the real one (inside the runtime image)
        return logomesh_shim.HostError
    except ImportError:
        pass

    class HostError(Exception):
        """A host call's refusal, with ``code`` and ``message`` (stand-in of logomesh_shim.HostError)."""

        def __init__(self, code: str, message: str) -> None:
            super().__init__(message)
            self.code = code
            self.message = message

    module = types.ModuleType("logomesh_shim", "stand-in registered by logomesh_testing")
    names: dict[str, Any] = {"HostError": HostError, "ERROR_CODES": tuple(CODES.values()), "Action": dict,
                             "Message": dict, "Context": object, "AsyncContext": object, **CODES}
    for name, value in names.items():
        setattr(module, name, value)
    sys.modules["logomesh_shim"] = module
    return HostError


HostError = _stand_in()


def _wire(value: Any, what: str) -> Any:
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise HostError("bad_result", f"{what} cannot be encoded as JSON: {exc}") from None


def _matches(pattern: str, name: str) -> bool:
    return re.fullmatch(".*".join(re.escape(p) for p in pattern.split("*")), name) is not None


def _fit(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Only as many positional arguments as fn accepts, as the shim does."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return args
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return args
    return args[:sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))]


class _Log:
    def __init__(self, harness: Harness) -> None:
        self._h = harness

    def _send(self, level: str, args: tuple[object, ...]) -> Any:
        message = " ".join(str(a) for a in args)
        if len(message) > MAX_LOG_CHARS:
            message = message[:MAX_LOG_CHARS] + "… (truncated)"
        self._h.logs.append((level, message))
        return self._h._answer(lambda: None)

    def __call__(self, *args: object) -> Any:
        return self._send("info", args)

    def debug(self, *args: object) -> Any:
        return self._send("debug", args)

    def info(self, *args: object) -> Any:
        return self._send("info", args)

    def warn(self, *args: object) -> Any:
        return self._send("warn", args)

    warning = warn

    def error(self, *args: object) -> Any:
        return self._send("error", args)


class FakeContext:
    """The ``ctx`` a plugin gets from the harness (same names as the runtime's, camelCase aliases too)."""

    def __init__(self, harness: Harness) -> None:
        self._h = harness
        self.log = _Log(harness)

    @property
    def plugin_id(self) -> str:
        return self._h.plugin_id

    pluginId = plugin_id  # noqa: N815

    @property
    def config(self) -> dict[str, Any]:
        return self._h.config

    @property
    def secrets(self) -> Mapping[str, str]:
        return types.MappingProxyType(self._h.secrets)

    def send_message(self, target: str, message: dict[str, Any]) -> Any:
        return self._h._answer(lambda: self._h._send_message(target, message))

    def emit(self, topic: str, data: Any = None) -> Any:
        return self._h._answer(lambda: self._h._emit(topic, data))

    def on(self, name: str, handler: Callable[..., Any] | None = None) -> Any:
        if handler is None:
            return lambda fn: self.on(name, fn) and fn
        if not callable(handler):
            raise TypeError("ctx.on(name, handler) needs a callable")
        self._h.handlers.setdefault(name, []).append(handler)
        return self

    def off(self, name: str, handler: Callable[..., Any] | None = None) -> FakeContext:
        left = [h for h in self._h.handlers.get(name, []) if handler is not None and h is not handler]
        if left:
            self._h.handlers[name] = left
        else:
            self._h.handlers.pop(name, None)
        return self

    def request_resource(self, type: str, amount: float) -> Any:  # noqa: A002 - the protocol's name
        return self._h._answer(lambda: self._h._request_resource(type, amount))

    def release_resource(self, grant_id: str) -> Any:
        return self._h._answer(lambda: self._h._release_resource(grant_id))

    def get_resource_usage(self) -> Any:
        return self._h._answer(lambda: self._h._usage())

    def request_permission(self, permission: str) -> Any:
        return self._h._answer(lambda: self._h._request_permission(permission))

    def audit_log(self, event: dict[str, Any]) -> Any:
        return self._h._answer(lambda: self._h._audit_log(event))

    sendMessage = send_message  # noqa: N815
    requestResource = request_resource  # noqa: N815
    releaseResource = release_resource  # noqa: N815
    getResourceUsage = get_resource_usage  # noqa: N815
    requestPermission = request_permission  # noqa: N815
    auditLog = audit_log  # noqa: N815


class Harness:
    """Runs one plugin module against a :class:`FakeContext`; every method runs to completion."""

    def __init__(self, module: Any, plugin_id: str = "test-plugin", config: dict[str, Any] | None = None,
                 secrets: Mapping[str, str] | None = None, permissions: list[str] | None = None,
                 replies: dict[str, dict[str, Any]] | None = None,
                 permission_answers: dict[str, str] | None = None, usage: dict[str, Any] | None = None) -> None:
        missing = [n for n in ("activate", "deactivate", "execute") if not callable(getattr(module, n, None))]
        if missing:
            raise HostError("bad_plugin", f"the plugin does not define {', '.join(missing)}")
        self.module = module
        self.plugin_id = plugin_id
        self.config: dict[str, Any] = _wire(config or {}, "config")
        self.secrets: dict[str, str] = dict(secrets or {})
        self.permissions = list(permissions or [])
        self.replies = replies or {}
        self.permission_answers = permission_answers or {}
        self.usage = usage
        self.logs: list[tuple[str, str]] = []
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.handlers: dict[str, list[Callable[..., Any]]] = {}
        self.grants: dict[str, dict[str, Any]] = {}
        self.state = "INSTALLED"
        self.ctx = FakeContext(self)
        self._loop = asyncio.new_event_loop()

    @classmethod
    def load(cls, path: str = "main.py", **options: Any) -> Harness:
        """Imports the plugin's file (its folder first on ``sys.path``, as in the container)."""
        import os
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in sys.path:
            sys.path.insert(0, folder)
        spec = importlib.util.spec_from_file_location("logomesh_plugin_under_test", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return cls(module, **options)

    # -- what the plugin's calls do -------------------------------------------------------------
    def _answer(self, compute: Callable[[], Any]) -> Any:
        """A value for plain ``def`` code, a completed future for ``async def`` code (on the loop)."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is None:
            return compute()
        future = running.create_future()
        try:
            future.set_result(compute())
        except Exception as exc:  # noqa: BLE001 - handed to the awaiting plugin code
            future.set_exception(exc)
        return future

    def _require(self, permission: str, message: str) -> None:
        if not any(_matches(p, permission) for p in self.permissions):
            raise HostError("denied", message)

    def _send_message(self, target: str, message: dict[str, Any]) -> Any:
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            raise HostError("bad_request", "send_message needs a message {type, data}")
        msg = _wire(message, "the message")
        self.sent.append((target, msg))
        script = self.replies.get(target)
        if script is None:
            raise HostError("not_found", f"no plugin '{target}' (script one in replies)")
        if msg["type"] not in script:
            raise HostError("no_handler", f"'{target}' has no handler for message type '{msg['type']}'")
        reply = script[msg["type"]]
        return _wire(reply(msg, target) if callable(reply) else reply, "the reply")

    def _emit(self, topic: str, data: Any) -> dict[str, int]:
        self.calls.append(("emit", {"topic": topic, "data": _wire(data, "data")}))
        self._require(f"events:publish:{topic}", f"emit('{topic}') needs events:publish:{topic}")
        return {"delivered": 0}

    def _request_resource(self, type: str, amount: float) -> dict[str, Any]:  # noqa: A002
        self.calls.append(("request_resource", {"type": type, "amount": amount}))
        if type not in ("memory", "cpu"):
            raise HostError("bad_request", "type must be 'memory' or 'cpu'")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount <= 0:
            raise HostError("bad_request", "amount must be a positive number")
        self._require("resources:grant", "request_resource needs the resources:grant permission")
        grant_id = f"grant-{len(self.grants) + 1}"
        grant: dict[str, Any] = {"grantId": grant_id, "pluginId": self.plugin_id, "type": type,
                 "amount": amount, "grantedAt": datetime.now(timezone.utc).isoformat()}
        self.grants[grant_id] = grant
        return grant

    def _release_resource(self, grant_id: str) -> None:
        self.calls.append(("release_resource", {"grantId": grant_id}))
        if self.grants.pop(grant_id, None) is None:
            raise HostError("denied", f"no grant '{grant_id}'")

    def _usage(self) -> dict[str, Any]:
        self.calls.append(("get_resource_usage", {}))
        return self.usage or {"pluginId": self.plugin_id, "state": self.state, "containerId": None,
                              "timestamp": datetime.now(timezone.utc).isoformat(), "usage": None,
                              "limits": {"maxMemoryMB": 64, "maxCpuPercent": 50, "maxExecutionTimeMs": 5000,
                                         "pidsLimit": 64},
                              "utilizationPercent": None, "alerts": [], "grants": list(self.grants.values())}

    def _request_permission(self, permission: str) -> dict[str, Any]:
        self.calls.append(("request_permission", {"permission": permission}))
        status = self.permission_answers.get(permission, "pending")
        if status == "granted" and permission not in self.permissions:
            self.permissions.append(permission)
        return {"permission": permission, "status": status, "requestId": f"req-{len(self.calls)}"}

    def _audit_log(self, event: dict[str, Any]) -> None:
        self.calls.append(("audit_log", {"event": event}))
        if not isinstance(event, dict):
            raise HostError("invalid_event", "the event must be a JSON object")
        if len(json.dumps(event)) > 8192:
            raise HostError("too_large", "the event is larger than 8 KiB")

    # -- what the host does to the plugin -------------------------------------------------------
    def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        result = fn(*_fit(fn, args))
        if inspect.isawaitable(result):
            result = self._loop.run_until_complete(result)
        return result

    def initialize(self) -> None:
        if callable(getattr(self.module, "initialize", None)):
            self._run(self.module.initialize, self.config, self.ctx)

    def activate(self) -> None:
        self._run(self.module.activate, self.ctx)
        self.state = "ACTIVE"

    def start(self) -> None:
        """``initialize`` (if defined), then ``activate``, as the host does on activation."""
        self.initialize()
        self.activate()

    def execute(self, type: str, payload: Any = None, id: str | None = None) -> Any:  # noqa: A002
        """Runs one action; returns its result as the caller would get it (through JSON)."""
        action = {"id": id or f"action-{len(self.calls) + len(self.sent) + 1}", "type": type,
                  "payload": _wire(payload, "the payload")}
        return _wire(self._run(self.module.execute, action, self.ctx), "the result")

    def message(self, type: str, data: Any = None, sender: str = "other-plugin") -> Any:  # noqa: A002
        """A message from another plugin: the first handler of the type answers."""
        handlers = self.handlers.get(type)
        if not handlers:
            raise HostError("no_handler", f"no handler registered for message type '{type}'")
        return _wire(self._run(handlers[0], {"type": type, "data": _wire(data, "data")}, sender), "the reply")

    def event(self, topic: str, data: Any = None, sender: str = "other-plugin") -> None:
        """An event: every handler of the topic; one that raises is logged at error, as the shim does."""
        for handler in list(self.handlers.get(topic, [])):
            try:
                self._run(handler, {"type": topic, "data": _wire(data, "data")}, sender)
            except Exception as exc:  # noqa: BLE001
                self.logs.append(("error", f"event handler for '{topic}' failed: {type(exc).__name__}: {exc}"))

    def set_config(self, config: dict[str, Any], secrets: Mapping[str, str] | None = None) -> None:
        """The operator changed config (and secrets): ``ctx.config``/``ctx.secrets`` change, ``config`` handlers run."""
        self.config = _wire(config, "config")
        if secrets is not None:
            self.secrets = dict(secrets)
        self.event("config", self.config, "host")

    def deactivate(self) -> None:
        self._run(self.module.deactivate, self.ctx)
        self.state = "INACTIVE"

    def dispose(self) -> None:
        if callable(getattr(self.module, "dispose", None)):
            self._run(self.module.dispose, self.ctx)

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """The params of every call of one method (``request_resource``, ``emit``, ...)."""
        return [params for name, params in self.calls if name == method]
