"""Test fixture: one action per thing the integration tests check about the runtime and its container."""
import asyncio
import errno
import os
import socket

held = []  # alloc keeps its memory referenced here
events = []


def _connect(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return {"connected": True, "error": None}
    except OSError as exc:
        return {"connected": False, "error": f"{type(exc).__name__}: {exc}"}


def _write_root():
    try:
        with open("/evil.txt", "w") as f:
            f.write("x")
        return {"ok": True}
    except OSError as exc:
        return {"ok": False, "code": errno.errorcode.get(exc.errno), "error": str(exc)}


def _write_tmp():
    with open("/tmp/x", "w") as f:
        f.write("written by echo-python")
    with open("/tmp/x") as f:
        return {"ok": f.read() == "written by echo-python"}


def _alloc(mb):
    for _ in range(mb):
        held.append(bytearray(b"\x01") * (1024 * 1024))  # filled, so really resident
    return {"ok": True, "heldMb": len(held)}


def _oom_score(lower):
    """Its oom_score_adj (its own and PID 1's); with lower, a forked child's attempt to lower its own to that."""
    def read(pid):
        with open(f"/proc/{pid}/oom_score_adj") as f:
            return int(f.read().strip())
    out = {"self": read("self"), "init": read(1)}
    if lower is not None:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: the plugin's own process keeps its score
            try:
                fd = os.open("/proc/self/oom_score_adj", os.O_WRONLY)
                try:
                    os.write(fd, str(lower).encode())
                    code = "ok"
                except OSError as exc:
                    code = errno.errorcode.get(exc.errno, str(exc))
                os.close(fd)
                os.write(w, f"{read('self')} {code}".encode())
            finally:
                os._exit(0)
        os.close(w)
        child_score, code = os.read(r, 64).decode().split(" ", 1)
        os.close(r)
        os.waitpid(pid, 0)
        out["child"] = {"lowered": code, "after": int(child_score)}
    return out


def _spin():
    while True:
        pass


def activate(ctx):
    ctx.on("ping", lambda message, sender: {"pong": message["data"], "from": sender})
    ctx.on("test.event", lambda event, sender: events.append(
        {"topic": event["type"], "data": event["data"], "from": sender}))


def deactivate(ctx):
    pass


async def execute(action, ctx):
    kind, p = action["type"], action.get("payload") or {}
    if kind == "echo":
        return action.get("payload")
    if kind == "fail":
        raise RuntimeError(f"boom: {p.get('msg')}")
    if kind == "sleep":
        await asyncio.sleep(p["ms"] / 1000)
        return {"slept": p["ms"]}
    if kind == "spin":
        _spin()  # blocks the event loop, like a runaway plugin would
    if kind == "env":
        return dict(os.environ)
    if kind == "writeRoot":
        return _write_root()
    if kind == "writeTmp":
        return _write_tmp()
    if kind == "connect":
        return await asyncio.to_thread(_connect, p["host"], p["port"])
    if kind == "whoami":
        return {"uid": os.getuid(), "gid": os.getgid()}
    if kind == "exit":
        os._exit(p["code"])
    if kind == "alloc":
        return _alloc(p["mb"])
    if kind == "oomScore":
        return _oom_score(p.get("lower"))
    # host calls, for IPC tests
    if kind == "send":
        return await ctx.send_message(p["target"], p["message"])
    if kind == "emit":
        return await ctx.emit(p["topic"], p.get("data"))
    if kind == "events":
        return events
    if kind == "usage":
        return await ctx.get_resource_usage()
    if kind == "grant":
        return await ctx.request_resource(p["type"], p["amount"])
    if kind == "release":
        return await ctx.release_resource(p["grantId"])
    if kind == "permission":
        return await ctx.request_permission(p["permission"])
    if kind == "audit":
        try:
            return {"recorded": True, "result": await ctx.audit_log(p.get("event"))}
        except Exception as e:  # noqa: BLE001 - the host's refusal is the answer
            return {"recorded": False, "code": getattr(e, "code", None), "message": str(e)}
    if kind == "auditBurst":
        out = {"recorded": 0, "refused": {}}
        for i in range(p["count"]):
            try:
                await ctx.audit_log({"burst": i})
                out["recorded"] += 1
            except Exception as e:  # noqa: BLE001 - counting the host's refusals
                code = getattr(e, "code", None)
                out["refused"][code] = out["refused"].get(code, 0) + 1
        return out
    if kind == "log":
        getattr(ctx.log, p.get("level", "info"))(p["message"])
        return {"ok": True}
    raise ValueError(f"unknown action type: {kind}")
