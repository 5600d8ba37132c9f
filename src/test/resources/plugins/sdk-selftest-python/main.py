"""SDK self-test: checked with ``mypy --strict`` against the shipped stub (runtime-images/python/shim/__init__.pyi),
then run in a real container (SdkTypesTest). ``selftest`` (plain def: the blocking ``Context``) and
``dispose`` (``async def``: the awaitable ``AsyncContext``) call ctx members; ``selftest`` reports what each answered."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Callable

from logomesh_shim import DENIED, ERROR_CODES, HostError

if TYPE_CHECKING:
    from logomesh_shim import Action, AsyncContext, Context, Emitted, Grant, Message, PermissionAnswer

events = 0


def code_of(call: Callable[[], object]) -> str:
    try:
        call()
        return "resolved"
    except HostError as err:
        assert err.code in ERROR_CODES, err.code
        return err.code


async def acode_of(call: Awaitable[object]) -> str:
    try:
        await call
        return "resolved"
    except HostError as err:
        return err.code


def initialize(config: dict[str, Any], ctx: Context) -> None:
    ctx.log.debug("initialize", config.get("greeting"))


def ping(message: Message, sender: str) -> dict[str, Any]:
    return {"pong": message["data"]["n"], "from": sender}


def tick(message: Message, sender: str) -> None:
    global events
    events += 1


def activate(ctx: Context) -> None:
    ctx.on("ping", ping)
    ctx.on("sdk.tick", tick)
    ctx.log("active")


def execute(action: Action, ctx: Context) -> Any:
    if action["type"] != "selftest":
        raise ValueError(f"unknown action type '{action['type']}'")
    me: str = ctx.plugin_id
    ctx.log("selftest", 1)
    ctx.log.debug("d")
    ctx.log.info("i")
    ctx.log.warn("w")
    ctx.log.warning("w2")
    ctx.log.error("e")
    reply = ctx.send_message(me, {"type": "ping", "data": {"n": 7}})
    missing = code_of(lambda: ctx.send_message("sdk-no-such-plugin", {"type": "ping", "data": None}))
    no_handler = code_of(lambda: ctx.sendMessage(me, {"type": "nobody-listens", "data": None}))
    emitted: Emitted = ctx.emit("sdk.tick", {"at": 1})
    emit_denied = code_of(lambda: ctx.emit("other.topic"))
    ctx.on("sdk.extra", tick).off("sdk.extra", tick).off("sdk.none")
    resource = code_of(lambda: ctx.request_resource("memory", 8))
    release = code_of(lambda: ctx.release_resource("no-such-grant"))
    usage = ctx.get_resource_usage()
    permission: PermissionAnswer = ctx.request_permission("events:publish:sdk.other")
    ctx.audit_log({"selftest": True, "n": 1})
    audited = None  # audit_log returns None (nothing to report but that it did not raise)
    grant_shape: Grant | None = None
    return {
        "pluginId": me, "camel": ctx.pluginId == me, "greeting": ctx.config.get("greeting"),
        "reply": reply, "missing": missing, "noHandler": no_handler,
        "delivered": emitted["delivered"], "emitDenied": emit_denied, "deniedConstant": emit_denied == DENIED,
        "resource": resource, "release": release,
        "usagePluginId": usage["pluginId"], "usageLimitsMemory": usage["limits"]["maxMemoryMB"],
        "alerts": len(usage["alerts"]),
        "permission": permission["permission"], "permissionStatus": permission["status"],
        "audited": audited, "grantShape": grant_shape, "events": events,
    }


def deactivate(ctx: Context) -> None:
    ctx.off("ping")


async def dispose(ctx: AsyncContext) -> None:
    usage = await ctx.get_resource_usage()
    code = await acode_of(ctx.emit("other.topic"))
    await ctx.audit_log({"disposed": usage["pluginId"], "emit": code})
