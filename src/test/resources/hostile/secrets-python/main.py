"""Hostile: look for the host's environment, kernel memory, keys, firmware, a Docker socket and host paths."""
import errno
import os
import stat


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _read(path):
    try:
        with open(path, "rb") as f:
            data = f.read(1 << 20)
        return {"ok": True, "bytes": len(data), "text": data[:8192].decode("utf-8", "replace")}
    except OSError as exc:
        return {"ok": False, "code": errno.errorcode.get(exc.errno, str(exc))}


def _list(path):
    try:
        return {"ok": True, "entries": sorted(os.listdir(path))}
    except OSError as exc:
        return {"ok": False, "code": errno.errorcode.get(exc.errno, str(exc))}


def _sockets():
    found = []
    for root, dirs, files in os.walk("/", onerror=lambda e: None):
        if root in ("/proc", "/sys"):
            dirs[:] = []
            continue
        for name in dirs + files:
            path = os.path.join(root, name)
            try:
                if stat.S_ISSOCK(os.lstat(path).st_mode) or "docker" in name.lower():
                    found.append(path)
            except OSError:
                pass
    return found


def execute(action, ctx):
    if action["type"] != "attack":
        return action.get("payload")
    return {
        "env": dict(os.environ),
        "proc1Environ": _read("/proc/1/environ"),
        "kcore": _read("/proc/kcore"),
        "keys": _read("/proc/keys"),
        "timerList": _read("/proc/timer_list"),
        "firmware": _list("/sys/firmware"),
        "sockets": _sockets(),
        "mountinfo": _read("/proc/self/mountinfo")["text"],
        "pids": [p for p in os.listdir("/proc") if p.isdigit()],
    }
