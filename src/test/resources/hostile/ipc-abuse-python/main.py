"""Hostile: write raw bytes on the runtime's own IPC connection to the host (found through /proc/self/fd),
bypassing the shim: oversized/partial/garbage frames, floods, a forged identity, a stray reply."""
import json
import os
import socket
import struct
import time


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _ipc_fd():
    # the peer name is the path the host bound, on the host's side: it ends like $LOGOMESH_SOCKET
    want = "/" + os.path.basename(os.environ["LOGOMESH_SOCKET"])
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                continue
            probe = socket.socket(fileno=os.dup(fd))
            try:
                if probe.family == socket.AF_UNIX and str(probe.getpeername()).endswith(want):
                    return fd
            finally:
                probe.close()
        except OSError:
            continue
    raise RuntimeError("no IPC socket fd found")


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            time.sleep(0.001)
            continue
        view = view[n:]


def _frame(obj):
    body = (obj if isinstance(obj, str) else json.dumps(obj)).encode("utf-8", "surrogatepass")
    return struct.pack(">I", len(body)) + body


def _attack(kind, fd, p):
    if kind == "oversized":
        _write_all(fd, struct.pack(">I", 0x7FFFFFFF))
        return {"sent": 4}
    if kind == "partial":
        _write_all(fd, struct.pack(">I", 64) + b'{"method":"log"')
        time.sleep(60)  # never complete it
        return {"sent": 19}
    if kind == "garbageBytes":
        _write_all(fd, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        return {"sent": 27}
    if kind == "garbageFrames":
        for i in range(150):
            _write_all(fd, _frame(f"\u0000not json {i}\u00ff"))
        return {"sent": 150}
    if kind == "flood":
        one = _frame({"method": "log", "params": {"level": "info", "message": "hx flood"}})
        batch = one * 100
        for _ in range(p["frames"] // 100):
            _write_all(fd, batch)
        return {"sent": p["frames"]}
    if kind == "spoof":
        victim = p["victim"]
        _write_all(fd, _frame({"method": "hxWhoAmI", "pluginId": victim, "from": victim,
                               "params": {"nonce": p["nonce"], "pluginId": victim, "from": victim}}))
        return {"sent": 1}
    if kind == "strayReply":
        _write_all(fd, _frame({"id": 987654321, "result": "forged"}))
        _write_all(fd, _frame({"id": 987654322, "error": {"code": "forged", "message": "forged"}}))
        return {"sent": 2}
    return p


def execute(action, ctx):
    kind, p = action["type"], action.get("payload") or {}
    if kind in ("echo", "attack"):
        return p
    return _attack(kind, _ipc_fd(), p)
