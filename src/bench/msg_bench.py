"""Plugin-to-plugin messaging benchmark (part of `make bench`, see host_bench.py).

Through the proxy: pairs of `msg-bench` plugins (Node.js); each sender runs `sendMany` inside its
container (so REST is not on the measured path) keeping `inflight` messages outstanding, and
reports its throughput and round-trip p50/p99 measured in the plugin.
Baseline, same run: a raw round trip over the same kind of socket: a Python echo server and client
per pair (separate processes) over AF_UNIX with the same framing (4-byte big-endian length + JSON).
"""
import json
import multiprocessing as mp
import os
import socket
import struct
import tempfile
import threading
import time

FRAME = struct.Struct(">I")


def _recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def _read_frame(sock):
    (n,) = FRAME.unpack(_recv_exact(sock, 4))
    return _recv_exact(sock, n)


def _echo_server(path, ready):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    ready.set()
    conn, _ = srv.accept()
    try:
        while True:
            req = json.loads(_read_frame(conn))
            body = json.dumps({"id": req["id"], "result": req["params"]["message"]["data"]}).encode()
            conn.sendall(FRAME.pack(len(body)) + body)
    except EOFError:
        pass


def _echo_client(path, n, inflight, out):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    sent_at = {}
    lat = []
    data = {"s": "x" * 64}

    def send(i):
        body = json.dumps({"id": i, "method": "message",
                           "params": {"from": "a", "message": {"type": "ping", "data": data}}}).encode()
        sent_at[i] = time.perf_counter()
        sock.sendall(FRAME.pack(len(body)) + body)

    t0 = time.perf_counter()
    nxt = 0
    while nxt < min(inflight, n):
        send(nxt)
        nxt += 1
    for _ in range(n):
        reply = json.loads(_read_frame(sock))
        lat.append((time.perf_counter() - sent_at.pop(reply["id"])) * 1000)
        if nxt < n:
            send(nxt)
            nxt += 1
    ms = (time.perf_counter() - t0) * 1000
    sock.close()
    lat.sort()
    out.put({"ok": n, "ms": ms, "p50": lat[len(lat) // 2], "p99": lat[min(len(lat) - 1, int(0.99 * len(lat)))]})


def raw(pairs, n, inflight):
    """Raw AF_UNIX round trips: `pairs` server+client process pairs, `n` messages each."""
    tmp = tempfile.mkdtemp(prefix="lm-raw-")
    out = mp.Queue()
    procs = []
    for p in range(pairs):
        path = os.path.join(tmp, f"s{p}.sock")
        ready = mp.Event()
        server = mp.Process(target=_echo_server, args=(path, ready), daemon=True)
        server.start()
        ready.wait(10)
        procs.append(server)
    clients = [mp.Process(target=_echo_client, args=(os.path.join(tmp, f"s{p}.sock"), n, inflight, out))
               for p in range(pairs)]
    for c in clients:
        c.start()
    results = [out.get(timeout=300) for _ in clients]
    for c in clients:
        c.join()
    for s in procs:
        s.terminate()
    return combine(results)


def combine(results):
    """Total throughput = all messages / the slowest pair's wall time; latency = the worst pair's p50/p99."""
    ok = sum(r["ok"] for r in results)
    wall = max(r["ms"] for r in results)
    return {"ok": ok, "perSecond": ok / (wall / 1000), "p50": max(r["p50"] for r in results),
            "p99": max(r["p99"] for r in results), "errors": sum(sum(r.get("errors", {}).values()) for r in results)}


def proxied(host, pack, folder, pairs, n, inflight):
    """Through the host: `pairs` sender/receiver plugin pairs, sending in parallel."""
    ids = []
    for p in range(pairs):
        sender, receiver = f"msg-bench-s{p}", f"msg-bench-r{p}"
        for pid, perms in ((receiver, []), (sender, [f"messaging:{receiver}"])):
            manifest = json.load(open(os.path.join(folder, "manifest.json")))
            manifest["id"] = pid
            manifest["permissions"] = perms
            bundle = pack(folder, manifest)
            status, body = host.call("POST", "/api/v1/plugins", bundle, "application/gzip")
            if status != 201:
                raise SystemExit(f"install {pid}: {status} {body}")
            status, body = host.call("POST", f"/api/v1/plugins/{pid}/activate")
            if status != 200:
                raise SystemExit(f"activate {pid}: {status} {body}")
            ids.append(pid)
    results = [None] * pairs

    def run(p, count):
        conn = host.new_connection()
        results[p] = conn("POST", f"/api/v1/plugins/msg-bench-s{p}/actions",
                          json.dumps({"type": "sendMany", "payload": {"target": f"msg-bench-r{p}", "n": count,
                                                                      "inflight": inflight}}))

    for count in (min(2000, n), n):  # warm-up, then the measured run
        threads = [threading.Thread(target=run, args=(p, count)) for p in range(pairs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    out = []
    for status, body in results:
        if status != 200 or not body.get("success"):
            raise SystemExit(f"sendMany failed: {status} {body}")
        out.append(body["result"])
    for pid in ids:
        host.call("DELETE", f"/api/v1/plugins/{pid}")
    return combine(out)
