"""Hostile: a forked child allocates memory until the kernel's OOM killer ends it; the main process stays small."""
import os


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _attack():
    pid = os.fork()
    if pid == 0:
        held = []
        while True:
            held.append(bytearray(b"\x01") * (1024 * 1024))
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return {"spawned": True, "signal": os.WTERMSIG(status), "code": None}
    return {"spawned": True, "signal": None, "code": os.WEXITSTATUS(status)}


def execute(action, ctx):
    return _attack() if action["type"] == "attack" else action.get("payload")
