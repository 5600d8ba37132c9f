"""__ID__: a LogoMesh plugin (Python). The host calls these functions through the runtime shim;
``ctx`` is how the plugin talks back: ctx.log(...), ctx.send_message(target, message), ctx.on(type, handler),
ctx.emit(topic, data), ctx.request_resource(type, amount), ctx.get_resource_usage(), ctx.request_permission(p).

Plain ``def`` functions run in a worker thread (host calls return values: annotate ``ctx: Context``);
``async def`` ones on the event loop (host calls return awaitables: ``ctx: AsyncContext``).
Types: typings/logomesh_shim/__init__.pyi (``mypy --strict``); tests: tests/test_main.py.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: the runtime needs no import
    from logomesh_shim import Action, Context, Message


def initialize(config: dict[str, Any], ctx: Context) -> None:
    """Optional: called once with the manifest's ``config``."""
    ctx.log(f"initialized with {config}")


def ping(message: Message, sender: str) -> str:
    """Another plugin's ``ctx.send_message("__ID__", {"type": "ping"})`` gets "pong"."""
    return "pong"


def activate(ctx: Context) -> None:
    ctx.on("ping", ping)
    ctx.log("active")


def execute(action: Action, ctx: Context) -> Any:
    """The return value is the action's result (any JSON)."""
    if action["type"] == "echo":
        return action.get("payload")
    # a raised error becomes {"success": false, "error": "<message>"}
    raise ValueError(f"unknown action type '{action['type']}' (try echo)")


def deactivate(ctx: Context) -> None:
    ctx.log("inactive")
