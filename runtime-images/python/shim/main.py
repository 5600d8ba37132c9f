"""Entry point: connects to the host socket and serves PROTOCOL.md v1 until it closes."""
import asyncio
import os
import platform
import sys
import threading
import traceback

from . import egress, guard
from .plugin import PluginRunner, exit_now
from .rpc import Connection, RpcError

EXIT_LOST_HOST = 70
DEFAULT_MAX_FRAME = 1024 * 1024
CONNECT_ATTEMPTS = 50  # 100 ms apart: tolerates a socket that appears just after start
IN_CELL = os.environ.get("LOGOMESH_CELL") == "1"
# `load` params (PROTOCOL.md, "Prewarmed cells") and the variables they set, as the cold path's env would
LOAD_FIELDS = (
    ("pluginId", "LOGOMESH_PLUGIN_ID", str),
    ("main", "LOGOMESH_MAIN", str),
    ("securityLevel", "LOGOMESH_SECURITY_LEVEL", str),
    ("maxMemoryMB", "LOGOMESH_MAX_MEMORY_MB", int),
    ("maxExecutionMs", "LOGOMESH_MAX_EXECUTION_MS", int),
    ("maxConcurrency", "LOGOMESH_MAX_CONCURRENCY", int),
)


def _apply_load(params):
    """Sets the plugin's settings from a ``load`` frame; refuses a missing or mistyped field."""
    for field, name, kind in LOAD_FIELDS:
        value = params.get(field)
        if type(value) is not kind or (kind is str and not 0 < len(value) <= 256) or (kind is int and value < 1):
            raise RpcError("bad_load", f"load needs {field} ({kind.__name__})")
        os.environ[name] = str(value)


def _max_frame():
    try:
        value = int(os.environ.get("LOGOMESH_MAX_FRAME", ""))
    except ValueError:
        return DEFAULT_MAX_FRAME
    return value if value > 0 else DEFAULT_MAX_FRAME


async def _connect(path):
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            return await asyncio.open_unix_connection(path)
        except OSError:
            if attempt == CONNECT_ATTEMPTS:
                raise
            await asyncio.sleep(0.1)
    raise AssertionError("unreachable")


async def _serve():
    path = os.environ.get("LOGOMESH_SOCKET", "/run/logomesh/host.sock")
    try:
        reader, writer = await _connect(path)
    except OSError as exc:
        print(f"logomesh shim: cannot connect to {path}: {exc}", file=sys.stderr)
        exit_now(EXIT_LOST_HOST)

    shutting_down = False
    runner = None
    tasks = set()
    loaded = not IN_CELL

    # The host may send load, initialize and activate together (PROTOCOL.md, "Sequence"): lifecycle requests run
    # one after another in the order they came (their tasks start in that order and the lock is FIFO), and once
    # load, initialize or activate has failed, the start requests after it are refused with `aborted`.
    lifecycle = asyncio.Lock()
    start_failed = False

    async def on_request(method, params):
        nonlocal start_failed
        if method not in LIFECYCLE:
            return await serve_request(method, params)
        async with lifecycle:
            if start_failed and method in START:
                raise RpcError("aborted", f"an earlier start step failed; {method} was not run")
            try:
                return await serve_request(method, params)
            except BaseException:
                if method in START:
                    start_failed = True
                raise

    async def serve_request(method, params):
        nonlocal loaded
        if method == "load":  # a cell waits, idle on its socket, for the plugin's settings, then its guard
            if loaded:
                raise RpcError("bad_state", "this runtime already serves a plugin")
            _apply_load(params if isinstance(params, dict) else {})
            loaded = True
            runner.reload()
            if os.environ["LOGOMESH_SECURITY_LEVEL"] != "minimal":
                egress.install()  # as main() does on the cold path: before any plugin code, then the guard
            else:
                egress.stop_forwarder()  # the one main() started ahead: minimal holds no network
            guard.install(os.environ["LOGOMESH_SECURITY_LEVEL"])
            return None
        if method == "ping":  # any time: the host sends a cell one before it joins the pool
            return None
        if method == "initialize" and not loaded:
            raise RpcError("not_loaded", "a cell needs load before initialize")
        handler = getattr(runner, method, None) if method in REQUESTS else None
        if handler is None:
            raise RpcError("unknown_method", f"unknown method '{method}'")
        return await handler(params if isinstance(params, dict) else {})

    def on_notification(method, params):
        nonlocal shutting_down
        if method == "event":
            task = asyncio.get_running_loop().create_task(runner.event(params if isinstance(params, dict) else {}))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        elif method == "config":
            task = asyncio.get_running_loop().create_task(
                runner.config_changed(params if isinstance(params, dict) else {}))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        elif method == "shutdown":
            shutting_down = True
            conn.close()

    def on_garbage(count):
        conn.notify("log", {"level": "warn", "message": f"dropped a malformed frame ({count} so far)"})

    def fast_request(request_id, method, params):  # a plain def's action or message: answered by its worker
        return runner is not None and runner.fast_request(request_id, method, params)

    conn = Connection(reader, writer, _max_frame(), on_request, on_notification, on_garbage, fast_request)
    runner = PluginRunner(conn)

    def report(what, exc=None, detail=""):
        text = "\n".join(filter(None, [detail, "".join(traceback.format_exception(exc)) if exc else ""]))
        if not conn.notify("log", {"level": "error", "message": f"{what}: {text}"[:32 * 1024]}):
            print(f"{what}: {text}", file=sys.stderr)

    asyncio.get_running_loop().set_exception_handler(
        lambda loop, context: report("unhandled error", context.get("exception"), context.get("message")))
    threading.excepthook = lambda args: report(f"uncaught exception in thread {args.thread.name}", args.exc_value)

    ready = {"runtime": "python", "runtimeVersion": platform.python_version(), "protocol": 1}
    if IN_CELL:
        ready["cell"] = True
    else:
        guard.install(os.environ.get("LOGOMESH_SECURITY_LEVEL", "minimal"))
    conn.notify("ready", ready)
    await conn.serve()
    exit_now(0 if shutting_down else EXIT_LOST_HOST)  # pending plugin work is abandoned, not awaited


REQUESTS = ("initialize", "activate", "execute", "message", "deactivate", "dispose")
LIFECYCLE = frozenset(("load", "initialize", "activate", "deactivate", "dispose"))
START = frozenset(("load", "initialize", "activate"))


def main():
    if IN_CELL:
        egress.start_forwarder()  # its plugin's level comes with `load`: ready ahead, closed there for minimal
    elif os.environ.get("LOGOMESH_SECURITY_LEVEL", "minimal") != "minimal":
        egress.install()  # before any plugin code; minimal may never hold network (and refuses sockets)
    asyncio.run(_serve())
