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

    async def on_request(method, params):
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

    conn = Connection(reader, writer, _max_frame(), on_request, on_notification, on_garbage)
    runner = PluginRunner(conn)

    def report(what, exc=None, detail=""):
        text = "\n".join(filter(None, [detail, "".join(traceback.format_exception(exc)) if exc else ""]))
        if not conn.notify("log", {"level": "error", "message": f"{what}: {text}"[:32 * 1024]}):
            print(f"{what}: {text}", file=sys.stderr)

    asyncio.get_running_loop().set_exception_handler(
        lambda loop, context: report("unhandled error", context.get("exception"), context.get("message")))
    threading.excepthook = lambda args: report(f"uncaught exception in thread {args.thread.name}", args.exc_value)

    guard.install(os.environ.get("LOGOMESH_SECURITY_LEVEL", "minimal"))
    conn.notify("ready", {"runtime": "python", "runtimeVersion": platform.python_version(), "protocol": 1})
    await conn.serve()
    exit_now(0 if shutting_down else EXIT_LOST_HOST)  # pending plugin work is abandoned, not awaited


REQUESTS = ("initialize", "activate", "execute", "message", "deactivate", "dispose")


def main():
    if os.environ.get("LOGOMESH_SECURITY_LEVEL", "minimal") != "minimal":
        egress.install()  # before any plugin code; minimal may never hold network (and refuses sockets)
    asyncio.run(_serve())
