"""Hostile: fork(2) until the container's pids limit refuses."""
import errno
import os
import time

kids = []


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _bomb():
    errors = []
    for _ in range(500):
        try:
            pid = os.fork()
        except OSError as exc:
            errors.append(errno.errorcode.get(exc.errno, str(exc)))
            break
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        kids.append(pid)
    return {"spawned": len(kids), "errors": errors}


def execute(action, ctx):
    return _bomb() if action["type"] == "attack" else action.get("payload")
