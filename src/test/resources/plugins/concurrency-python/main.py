"""Test fixture: plain ``def`` functions only. ``sleep`` records when it ran and on which thread;
``chain`` asks this same plugin, through the host, for a chain of ``depth`` plain-def message
handlers, each blocking in ``ctx.send_message`` until the next one answers."""
import threading
import time


def activate(ctx):
    def chain(message, sender):
        depth = message["data"]
        if depth <= 0:
            return {"depth": 0}
        reply = ctx.send_message(ctx.plugin_id, {"type": "chain", "data": depth - 1})
        return {"depth": reply["depth"] + 1}

    ctx.on("chain", chain)


def deactivate(ctx):
    pass


def execute(action, ctx):
    p = action.get("payload") or {}
    if action["type"] == "sleep":
        start = time.monotonic()
        time.sleep(p.get("ms", 500) / 1000)
        return {"start": start, "end": time.monotonic(), "thread": threading.current_thread().name}
    if action["type"] == "chain":
        return ctx.send_message(ctx.plugin_id, {"type": "chain", "data": p["depth"]})
    if action["type"] == "echo":
        return action.get("payload")
    raise ValueError(f"unknown action type: {action['type']}")
