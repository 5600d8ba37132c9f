"""Hostile: fill /tmp (tmpfs) and /data (the fileSystemAccess folder), write to the read-only root."""
import errno
import os

CHUNK = b"\x01" * (1024 * 1024)


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _code(exc):
    return errno.errorcode.get(exc.errno, str(exc))


def _fill(path, max_mb):
    written = 0
    fd = None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for _ in range(max_mb):
            written += os.write(fd, CHUNK)
        return {"written": written, "code": None}
    except OSError as exc:
        return {"written": written, "code": _code(exc)}
    finally:
        if fd is not None:
            os.close(fd)
        try:
            os.unlink(path)
        except OSError:
            pass


def _write(path):
    try:
        with open(path, "w") as f:
            f.write("x")
        return {"ok": True, "code": None}
    except OSError as exc:
        return {"ok": False, "code": _code(exc)}


def execute(action, ctx):
    kind, p = action["type"], action.get("payload") or {}
    if kind == "tmp":
        return _fill("/tmp/fill", p["maxMb"])
    if kind == "shm":
        return _fill("/dev/shm/fill", p["maxMb"])
    if kind == "data":
        return _fill("/data/fill", p["maxMb"])
    if kind == "root":
        return {"root": _write("/evil"), "code": _write("/plugin/evil"), "etc": _write("/etc/hosts"),
                "ipc": _write("/run/logomesh/evil")}
    return p
