"""Test fixture: ``async def`` execute; ``sleep`` records when it ran and on which thread."""
import asyncio
import threading
import time


def activate(ctx):
    pass


def deactivate(ctx):
    pass


async def execute(action, ctx):
    p = action.get("payload") or {}
    if action["type"] == "sleep":
        start = time.monotonic()
        await asyncio.sleep(p.get("ms", 500) / 1000)
        return {"start": start, "end": time.monotonic(), "thread": threading.current_thread().name}
    raise ValueError(f"unknown action type: {action['type']}")
