"""Hostile: a plugin WITH network tries to reach what its allow-list does not name.

The control plane through every host address, the metadata service, a name that resolves to it, an
unlisted port: through the egress proxy (urllib, http.client) and directly (raw TCP: no route). It
also reaches what the list names, holds a tunnel open (to see it cut) and asks for patterns at run time.
"""
import errno
import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request

_held = None


def _urllib(url):
    try:
        with urllib.request.urlopen(url, timeout=8) as r:
            return {"ok": r.status == 200, "status": r.status, "body": r.read(300).decode("latin-1")}
    except urllib.error.HTTPError as e:
        return {"ok": False, "status": e.code, "error": str(e.reason)[:300]}
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        return {"ok": False, "code": type(reason).__name__, "error": str(reason)[:300]}


def _http_client(url):
    u = urllib.parse.urlsplit(url)
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    conn = cls(u.hostname, u.port, timeout=8)
    try:
        conn.request("GET", u.path or "/")
        r = conn.getresponse()
        return {"ok": r.status == 200, "status": r.status, "body": r.read(300).decode("latin-1")}
    except OSError as e:
        return {"ok": False, "code": type(e).__name__, "error": str(e)[:300]}
    finally:
        conn.close()


def _direct(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((host, port))
        return {"ok": True}
    except OSError as e:
        return {"ok": False, "code": errno.errorcode.get(e.errno, type(e).__name__)}
    finally:
        s.close()


def _hold(target):
    global _held
    s = socket.create_connection(("127.0.0.1", 3128), timeout=5)
    s.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            break
        head += chunk
    _held = s
    line = head.split(b"\r\n")[0].decode("latin-1")
    return {"ok": line.startswith("HTTP/1.1 200"), "status": line}


def _held_closed():
    if _held is None:
        return {"closed": True}
    _held.settimeout(3)
    try:
        return {"closed": _held.recv(1) == b""}
    except socket.timeout:
        return {"closed": False}
    except OSError:
        return {"closed": True}


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def execute(action, ctx):
    p = action.get("payload") or {}
    kind = action["type"]
    if kind == "echo":
        return p
    if kind == "attack":
        out = {"interfaces": sorted(name for _, name in socket.if_nameindex())}
        for key, t in p.items():
            if t.get("direct"):
                out[key] = _direct(t["host"], t["port"])
            elif t.get("client") == "http":
                out[key] = _http_client(t["url"])
            else:
                out[key] = _urllib(t["url"])
        return out
    if kind == "permission":
        return ctx.request_permission(p["permission"], p.get("host"))
    if kind == "hold":
        return _hold(p["target"])
    if kind == "held":
        return _held_closed()
    raise ValueError(f"unknown action {kind}")
