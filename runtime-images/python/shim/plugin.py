"""Loads the plugin module and runs its lifecycle functions (PROTOCOL.md, "Sequence").

``async def`` functions run on the event loop; plain ``def`` functions run in a bounded worker
pool (pool.py), so the IPC loop keeps reading while plugin code blocks and one slow call does not
queue the rest.
"""
import asyncio
import importlib.util
import inspect
import os
import sys
from .ctx import Context
from .pool import WorkerPool, size_from_env
from .rpc import RpcError

PLUGIN_DIR = "/plugin"
REQUIRED = ("activate", "deactivate", "execute")


def describe(exc):
    return f"{type(exc).__name__}: {exc}"


def exit_now(code):
    """Leaves at once: a plugin thread may be stuck, so no interpreter shutdown."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - exiting anyway
            pass
    os._exit(code)


def _positional(fn):
    """How many positional arguments fn accepts (None: any number, or not known)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return None
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


_SHAPES = {}  # fn -> (is async, positional count); plugin callables are few, so it stays small
MAX_SHAPES = 1024


def _shape(fn):
    """(is ``async``, how many positional arguments), looked up once per callable."""
    try:
        return _SHAPES[fn]
    except KeyError:
        pass
    except TypeError:  # not hashable
        return _describe_shape(fn)
    shape = _describe_shape(fn)
    if len(_SHAPES) < MAX_SHAPES:
        _SHAPES[fn] = shape
    return shape


def _describe_shape(fn):
    is_async = inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(getattr(fn, "__call__", None))
    return is_async, _positional(fn)


def _load_module(main):
    path = os.path.join(PLUGIN_DIR, main)
    if PLUGIN_DIR not in sys.path:
        sys.path.insert(0, PLUGIN_DIR)
    stem = os.path.splitext(os.path.basename(path))[0]
    name = stem if stem.isidentifier() and stem not in sys.modules else "logomesh_plugin"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


class PluginRunner:
    def __init__(self, conn):
        self.conn = conn
        self.module = None
        self.ctx = None
        self.handlers = {}
        self._tasks = set()
        self.pool = WorkerPool(conn.loop, size_from_env())
        self.pool.prestart()

    def reload(self):
        """A cell's ``load`` set the plugin's concurrency (main.py): size the (still unused) pool by it."""
        self.pool.resize(size_from_env())

    async def run(self, fn, *args):
        """Calls plugin code; what it raises becomes ``plugin_error`` "<Type>: <msg>"."""
        is_async, count = _shape(fn)
        args = args if count is None else args[:count]
        try:
            if is_async:
                return await fn(*args)
            result = await self.pool.run(fn, *args)
            return await result if inspect.isawaitable(result) else result
        except SystemExit as exc:  # sys.exit() in plugin code ends the runtime, as it would anywhere
            exit_now(exc.code if isinstance(exc.code, int) else 1)
        except (Exception, asyncio.CancelledError) as exc:
            raise RpcError("plugin_error", describe(exc)) from None

    async def initialize(self, params):
        if self.module is not None:
            raise RpcError("bad_state", "the plugin is already initialized")
        config = params.get("config")
        secrets = params.get("secrets")
        self.ctx = Context(self.conn, params.get("pluginId") or os.environ.get("LOGOMESH_PLUGIN_ID", ""),
                           config if isinstance(config, dict) else {}, self.handlers, self.pool.wait_for,
                           secrets if isinstance(secrets, dict) else {})
        main = os.environ.get("LOGOMESH_MAIN") or "main.py"
        try:
            module = await self.pool.run(_load_module, main)
        except BaseException as exc:  # noqa: BLE001 - SystemExit at import time is a load failure too
            raise RpcError("load_failed", describe(exc)) from None
        missing = [name for name in REQUIRED if not callable(getattr(module, name, None))]
        if missing:
            raise RpcError("bad_plugin", f"{main} does not define {', '.join(missing)}")
        self.module = module
        if callable(getattr(module, "initialize", None)):
            await self.run(module.initialize, self.ctx.config, self.ctx)
        return None

    def _loaded(self):
        if self.module is None:
            raise RpcError("not_initialized", "the plugin has not been initialized")
        return self.module

    async def activate(self, params):
        await self.run(self._loaded().activate, self.ctx)
        return None

    def fast_request(self, request_id, method, params):
        """Takes an ``execute`` or ``message`` request for a plain ``def`` on itself: the worker that
        runs it writes the answer (Connection.reply), with no task and no hop back to the loop. False
        for anything else (the request goes the usual way, which also reports every error)."""
        if self.module is None:
            return False
        if method == "execute":
            action = params.get("action")
            if not isinstance(action, dict):
                return False
            fn, args = self.module.execute, (action, self.ctx)
        elif method == "message":
            msg = params.get("message")
            handlers = self.handlers.get(msg.get("type")) if isinstance(msg, dict) else None
            if not handlers or not isinstance(msg.get("type"), str):
                return False
            fn, args = handlers[0], (msg, params.get("from"))
        else:
            return False
        is_async, count = _shape(fn)
        if is_async:
            return False
        self.pool.submit(fn, args if count is None else args[:count],
                         lambda ok, value: self._answer(request_id, ok, value))
        return True

    def _answer(self, request_id, ok, value):
        """In the worker thread: answers a fast request with what its plain ``def`` returned or raised."""
        conn = self.conn
        if ok and inspect.isawaitable(value):  # a plain def that returned a coroutine: await it on the loop
            conn.loop.call_soon_threadsafe(self._start, self._answer_awaitable(request_id, value))
        elif ok:
            conn.reply(request_id, value)
        elif isinstance(value, SystemExit):  # sys.exit() in plugin code ends the runtime, as it would anywhere
            exit_now(value.code if isinstance(value.code, int) else 1)
        elif isinstance(value, (Exception, asyncio.CancelledError)):
            conn.reply_error(request_id, "plugin_error", describe(value))
        else:
            conn.reply_error(request_id, "internal_error", describe(value))

    def _start(self, coro):
        task = self.conn.loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer_awaitable(self, request_id, awaitable):
        try:
            result = await awaitable
        except (Exception, asyncio.CancelledError) as exc:
            return self.conn.reply_error(request_id, "plugin_error", describe(exc))
        self.conn.reply(request_id, result)

    async def execute(self, params):
        module = self._loaded()
        action = params.get("action")
        if not isinstance(action, dict):
            raise RpcError("bad_request", "execute needs an action object")
        return await self.run(module.execute, action, self.ctx)

    async def message(self, params):
        self._loaded()
        msg = params.get("message")
        if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
            raise RpcError("bad_request", "message needs {type, data}")
        handlers = self.handlers.get(msg["type"])
        if not handlers:
            raise RpcError("no_handler", f"no handler registered for message type '{msg['type']}'")
        return await self.run(handlers[0], msg, params.get("from"))

    async def event(self, params):
        """Every handler of the topic gets ``({"type": topic, "data": data}, sender)``."""
        if self.module is None:
            return
        topic = params.get("topic")
        for handler in list(self.handlers.get(topic, [])):
            try:
                await self.run(handler, {"type": topic, "data": params.get("data")}, params.get("from"))
            except RpcError as exc:
                self.ctx.log.error(f"event handler for '{topic}' failed: {exc.message}")

    async def config_changed(self, params):
        """``config`` notification: ctx.config is replaced, then every ctx.on("config") handler gets
        ``{"type": "config", "data": config}``."""
        config = params.get("config")
        if self.module is None or not isinstance(config, dict):
            return
        self.ctx.config = config
        for handler in list(self.ctx.config_handlers):
            try:
                await self.run(handler, {"type": "config", "data": config})
            except RpcError as exc:
                self.ctx.log.error(f"config handler failed: {exc.message}")

    async def deactivate(self, params):
        await self.run(self._loaded().deactivate, self.ctx)
        return None

    async def dispose(self, params):
        module = self._loaded()
        if callable(getattr(module, "dispose", None)):
            await self.run(module.dispose, self.ctx)
        return None
