"""make bench, load section: ``echo`` returns the payload; ``spin`` burns payload.ms of CPU.

Plain ``def``, as most plugin code is written: the shim runs it in its worker pool."""
import time


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def execute(action, ctx):
    if action["type"] == "echo":
        return action.get("payload")
    if action["type"] == "spin":
        ms = float((action.get("payload") or {}).get("ms", 20))
        end = time.monotonic() + ms / 1000
        loops = 0
        while time.monotonic() < end:
            loops += 1
        return {"spun": ms, "loops": loops}
    raise ValueError(f"unknown action type '{action['type']}' (try echo, spin)")
