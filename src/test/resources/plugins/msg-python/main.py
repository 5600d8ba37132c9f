"""Test fixture for messaging, events, permissions and the minimal-level guards."""
import asyncio
import importlib
import time

events = []


def activate(ctx):
    ctx.on("ping", lambda message, sender: {"pong": message["data"], "from": sender, "by": ctx.plugin_id})


def deactivate(ctx):
    pass


def _try_import(name):
    try:
        importlib.import_module(name) if name.startswith("importlib:") else __import__(name)
        return {"loaded": True}
    except BaseException as exc:  # noqa: BLE001 - report whatever the guard raised
        return {"loaded": False, "error": f"{type(exc).__name__}: {exc}"}


def _spawn():
    try:
        import subprocess
        out = subprocess.run(["/usr/bin/python3", "-c", "print('hi')"], capture_output=True, check=True).stdout
        return {"spawned": True, "out": out.decode().strip()}
    except BaseException as exc:  # noqa: BLE001
        return {"spawned": False, "error": f"{type(exc).__name__}: {exc}"}


def _system():
    import os
    try:
        return {"ran": True, "status": os.system("true")}
    except BaseException as exc:  # noqa: BLE001
        return {"ran": False, "error": f"{type(exc).__name__}: {exc}"}


async def _send_many(ctx, target, n=100, concurrency=1, msg_type="ping"):
    codes, lat, counter = {}, [], iter(range(n))

    async def worker():
        for i in counter:
            s = time.perf_counter()
            try:
                await ctx.send_message(target, {"type": msg_type, "data": i})
                lat.append((time.perf_counter() - s) * 1000)
                codes["ok"] = codes.get("ok", 0) + 1
            except Exception as exc:  # noqa: BLE001
                code = getattr(exc, "code", type(exc).__name__)
                codes[code] = codes.get(code, 0) + 1

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    ms = (time.perf_counter() - t0) * 1000
    lat.sort()
    pct = (lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else None)
    return {"n": n, "codes": codes, "ms": ms, "perSecond": codes.get("ok", 0) / (ms / 1000), "p50": pct(0.5),
            "p99": pct(0.99)}


async def execute(action, ctx):
    kind, p = action["type"], action.get("payload") or {}
    if kind == "send":
        return await ctx.send_message(p["target"], p["message"])
    if kind == "sendCatch":
        try:
            return {"reply": await ctx.send_message(p["target"], p["message"])}
        except Exception as exc:  # noqa: BLE001
            return {"code": getattr(exc, "code", None), "message": getattr(exc, "message", str(exc))}
    if kind == "sendMany":
        return await _send_many(ctx, p["target"], p.get("n", 100), p.get("concurrency", 1), p.get("type", "ping"))
    if kind == "emit":
        return await ctx.emit(p["topic"], p.get("data"))
    if kind == "events":
        return events
    if kind == "listen":
        ctx.on(p["topic"], lambda e, sender: events.append({"topic": e["type"], "data": e["data"], "from": sender}))
        return {"ok": True}
    if kind == "permission":
        return await ctx.request_permission(p["permission"])
    if kind == "import":
        return _try_import(p["name"])
    if kind == "spawn":
        return _spawn()
    if kind == "system":
        return _system()
    if kind == "echo":
        return action.get("payload")
    raise ValueError(f"unknown action type: {kind}")
