"""Hostile: plant symlinks in /data pointing out of the plugin's folder (to /etc/passwd, to host paths given by
the test, to the IPC folder) so that the host follows them when it restarts, copies or removes the plugin."""
import errno
import os


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _link(target, name):
    try:
        os.symlink(target, name)
        return "ok"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc))


def execute(action, ctx):
    kind, p = action["type"], action.get("payload") or {}
    if kind == "list":
        return sorted(os.listdir("/data"))
    if kind != "attack":
        return p
    os.makedirs("/data/nested/deeper", exist_ok=True)
    return {
        "passwd": _link("/etc/passwd", "/data/passwd"),
        "victimFile": _link(p["victimFile"], "/data/victim-file"),
        "victimDir": _link(p["victimDir"], "/data/victim-dir"),
        "nestedDir": _link(p["victimDir"], "/data/nested/deeper/victim-dir"),
        "hostIpc": _link(p["ipcDir"], "/data/ipc"),
        "ownIpc": _link("/run/logomesh", "/data/own-ipc"),
        "inIpcFolder": _link("/etc/passwd", "/run/logomesh/evil"),
        "root": _link("/etc/passwd", "/data/root-link"),
        "dataSelf": _link("/data", "/data/loop"),
    }
