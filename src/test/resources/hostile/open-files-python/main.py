"""Hostile: open 10,000 files and keep them open (closed again before answering, so the shim goes on)."""
import errno
import os


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _attack():
    fds = []
    try:
        for _ in range(10000):
            fds.append(os.open("/dev/null", os.O_RDONLY))
        return {"opened": len(fds), "code": None}
    except OSError as exc:
        return {"opened": len(fds), "code": errno.errorcode.get(exc.errno, str(exc))}
    finally:
        for fd in fds:
            os.close(fd)


def execute(action, ctx):
    return _attack() if action["type"] == "attack" else action.get("payload")
