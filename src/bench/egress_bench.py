"""Egress proxy benchmark (`host_bench.py --only egress`, part of `make bench`).

Same run, same listener: a Python TCP server of the bench's own on the engine's bridge gateway
address (it greets each connection with one byte, and answers `b<N>\\n` with N bytes).
  * Through the proxy: the `egress-bench` plugin (Node.js, `networkAccess`, allowed `<gateway>:<port>`
    at run time, the host started with `logomesh.egress.allow-private=true` because the listener is on
    a private address) opens N sequential connections via the shim's forwarder and `egress.sock`
    (CONNECT, 200, then the greeting) and one bulk transfer; times measured inside the plugin.
  * Direct: the same script in a container of the same image on the plain bridge, connecting to the
    same listener (connect, then the greeting), and the same bulk transfer.
Prints medians, p99, the ratio, and MB/s of the bulk transfers. Traffic stays on this machine.
"""
import json
import os
import socket
import socketserver
import statistics
import subprocess
import threading

CHUNK = b"x" * 65536


class _Listener(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        first = s.recv(64)
        if first.startswith(b"g"):
            s.sendall(b"!")
            return
        if first.startswith(b"b"):
            left = int(first[1:].split(b"\n")[0])
            while left > 0:
                n = min(left, len(CHUNK))
                s.sendall(CHUNK[:n])
                left -= n


def _gateway():
    out = subprocess.run(["docker", "network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"],
                         check=True, capture_output=True, text=True).stdout.strip()
    return out


def _pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def egress_section(args, hb):
    """Runs the egress measurements on a host of its own; `hb` is the host_bench module."""
    import shutil
    import tempfile
    gateway = _gateway()
    # the bridge's gateway address only routes while a container is attached (docker0 is down otherwise):
    # one idle container of ours on the plain bridge keeps it up for both paths
    keeper = subprocess.run(["docker", "run", "-d", "--rm", "--network", "bridge", "--entrypoint", "/bin/sleep",
                             "logomesh-base:bookworm", "900"], check=True, capture_output=True, text=True).stdout.strip()
    listener = _Listener(("0.0.0.0", 0), _Handler)
    port = listener.server_address[1]
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    workdir = tempfile.mkdtemp(prefix="lm-bench-egress-")
    # measure the proxy, not the per-plugin connection rate (default 20/s, burst 40)
    host = hb.Host(args.jar, workdir, extra_env={"LOGOMESH_EGRESS_ALLOW_PRIVATE": "true",
                                                 "LOGOMESH_EGRESS_CONNECTION_RATE": "100000",
                                                 "LOGOMESH_EGRESS_CONNECTION_BURST": "100000"})
    n, size = args.egress_connections, args.egress_bytes
    folder = os.path.join(hb.ROOT, "src/bench/plugins/egress-bench")
    try:
        manifest = json.load(open(os.path.join(folder, "manifest.json")))
        manifest["resourceRequirements"]["allowedHosts"] = [f"{gateway}:{port}"]
        hb.expect(host.call("POST", "/api/v1/plugins", hb.pack(folder, manifest), "application/gzip"), 201, "install")
        hb.expect(host.call("POST", "/api/v1/plugins/egress-bench/activate"), 200, "activate")
        status, body = host.call("POST", "/api/v1/plugins/egress-bench/actions",
                                 json.dumps({"type": "run", "payload": {"host": gateway, "port": port, "n": n,
                                                                        "bytes": size}}))
        if status != 200 or not body.get("success"):
            raise SystemExit(f"egress bench action failed: {status} {body}")
        proxied = body["result"]
        image = "logomesh-runtime-nodejs:latest"
        out = subprocess.run(["docker", "run", "--rm", "--network", "bridge", "-v",
                              os.path.join(folder, "index.js") + ":/bench.js:ro", "--entrypoint",
                              "/usr/local/bin/node", image, "/bench.js", "direct", gateway, str(port), str(n),
                              str(size)], check=True, capture_output=True, text=True).stdout
        direct = json.loads(out)
        hb.expect(host.call("DELETE", "/api/v1/plugins/egress-bench"), 204, "uninstall")
    finally:
        host.stop()
        subprocess.run(["docker", "rm", "-f", keeper], capture_output=True)
        listener.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)
    p, d = proxied["setupMs"], direct["setupMs"]
    print(f"egress: {n} sequential connection set-ups (connect + first byte from the listener) and one "
          f"{size // (1024 * 1024)} MiB transfer, listener on the bridge gateway {gateway}\n")
    print("| path | set-up median | p99 | bulk MB/s |")
    print("| --- | --- | --- | --- |")
    for label, s, b in (("through the egress proxy (plugin, `--network none`)", p, proxied["bulk"]),
                        ("direct (container on the plain bridge)", d, direct["bulk"])):
        print(f"| {label} | {statistics.median(s):.3f} ms | {_pct(s, 0.99):.3f} ms |"
              f" {b['bytes'] / b['seconds'] / 1e6:.0f} |")
    print(f"\nproxy / direct: set-up median {statistics.median(p) / statistics.median(d):.2f}x, p99 "
          f"{_pct(p, 0.99) / _pct(d, 0.99):.2f}x; bulk throughput "
          f"{(proxied['bulk']['bytes'] / proxied['bulk']['seconds']) / (direct['bulk']['bytes'] / direct['bulk']['seconds']):.2f}x\n")
