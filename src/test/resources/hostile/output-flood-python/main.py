"""Hostile: flood stdout/stderr with and without newlines (raw os.write, nothing buffered in the plugin)."""
import os


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _flood(fd, mb, newlines):
    line = ("x" * 99 + "\n") if newlines else ("y" * 100)
    chunk = (line * (10 * 1024)).encode()
    written = 0
    for _ in range(mb):
        view = memoryview(chunk)
        while view:
            try:
                n = os.write(fd, view)
            except BlockingIOError:
                continue
            view = view[n:]
        written += len(chunk)
    return {"written": written}


def execute(action, ctx):
    kind, p = action["type"], action.get("payload") or {}
    if kind == "lines":
        return _flood(1, p["mb"], True)
    if kind == "nonewline":
        return _flood(1, p["mb"], False)
    if kind == "stderr":
        return _flood(2, p["mb"], True)
    return p
