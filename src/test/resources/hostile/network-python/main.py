"""Hostile: TCP connect, UDP send and DNS lookups without networkAccess (aimed at the test's own listener)."""
import errno
import socket


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _code(exc):
    if isinstance(exc, socket.gaierror):
        return f"gaierror:{exc.errno}"
    if isinstance(exc, TimeoutError) or isinstance(exc, socket.timeout):
        return "TIMEOUT"
    return errno.errorcode.get(exc.errno, str(exc))


def _tcp(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return {"ok": True, "code": None}
    except OSError as exc:
        return {"ok": False, "code": _code(exc)}


def _udp(host, port):
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"hx-udp", (host, port))
            return {"ok": True, "code": None}
    except OSError as exc:
        return {"ok": False, "code": _code(exc)}


def _lookup(name):
    try:
        return {"ok": True, "address": socket.getaddrinfo(name, 80)[0][4][0], "code": None}
    except OSError as exc:
        return {"ok": False, "code": _code(exc)}


def execute(action, ctx):
    if action["type"] != "attack":
        return action.get("payload")
    p = action["payload"]
    return {
        "tcp": _tcp(p["host"], p["tcpPort"]),
        "udp": _udp(p["host"], p["udpPort"]),
        "lookup": _lookup("logomesh-hostile.invalid"),
        "resolve": _lookup("logomesh-hostile.invalid."),
        "interfaces": [name for _, name in socket.if_nameindex()],
    }
