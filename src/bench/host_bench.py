#!/usr/bin/env python3
"""Benchmark harness for the plugin host (`make bench`).

Starts the packaged service as a process on loopback with a throw-away data folder,
then measures, in one run so the figures share the machine's state:
  * cold activation (installed -> ACTIVE) of the example Node.js, Python and WebAssembly
    plugins, against a bare `docker run --rm --network none <same image> <runtime> -e/-c 0`
    (the wasm image's runtime is Node.js, so `node -e 0`);
  * the round trip of an `echo` action through REST, against a REST call that does
    not reach a plugin (GET /api/v1/plugins/{id}) on the same connection.
  * the echo round trip with the audit trail at `comprehensive` against `basic`
    (the same Node.js example installed twice, calls interleaved), small and 8 KiB payloads.
  * plugin-to-plugin request/reply through the proxy (1 and 8 pairs of plugins, timed inside
    the plugins) against a raw AF_UNIX round trip with the same framing (msg_bench.py).
Prints Markdown tables (medians, p90, ratios). Stdlib only; traffic stays on 127.0.0.1.
"""
import argparse
import http.client
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

import msg_bench

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "bench-token"
RUNTIMES = {
    "nodejs": ("hello-node", "logomesh-runtime-nodejs:latest", ["/usr/local/bin/node", "-e", "0"]),
    "python": ("hello-python", "logomesh-runtime-python:latest", ["/usr/bin/python3", "-c", "0"]),
    # the WebAssembly runtime is Node.js too: its bare run is the same `node -e 0`, from its own image
    "wasm": ("hello-wasm", "logomesh-runtime-wasm:latest", ["/usr/local/bin/node", "-e", "0"]),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Host:
    def __init__(self, jar, workdir):
        self.port = free_port()
        env = {"PATH": os.environ["PATH"], "QUARKUS_HTTP_PORT": str(self.port),
               "QUARKUS_HTTP_HOST": "127.0.0.1", "LOGOMESH_DATA_DIR": os.path.join(workdir, "data"),
               "LOGOMESH_PLUGINS_DIR": os.path.join(workdir, "none"), "LOGOMESH_API_TOKEN": TOKEN,
               # measure the proxy, not the per-plugin rate limit (default 20000/s per sender)
               "LOGOMESH_MESSAGING_RATE_PER_SECOND": "10000000", "LOGOMESH_MESSAGING_BURST": "100000"}
        for key in ("LOGOMESH_DOCKER_NODEJS_IMAGE", "LOGOMESH_DOCKER_PYTHON_IMAGE"):
            if key in os.environ:
                env[key] = os.environ[key]
        java = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java")
        self.log = open(os.path.join(workdir, "host.log"), "wb")
        self.proc = subprocess.Popen([java, "-jar", jar], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.conn = None
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.call("GET", "/q/health/ready")[0] == 200:
                    return
            except OSError:
                self.conn = None
            if self.proc.poll() is not None:
                sys.exit("host exited; see " + self.log.name)
            time.sleep(0.2)
        sys.exit("host did not become ready; see " + self.log.name)

    def call(self, method, path, body=None, ctype="application/json"):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Authorization": "Bearer " + TOKEN}
        if body is not None:
            headers["Content-Type"] = ctype
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, (json.loads(data) if data else None)

    def new_connection(self):
        """A call function on a connection of its own (for parallel callers)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)

        def call(method, path, body=None):
            conn.request(method, path, body=body, headers={"Authorization": "Bearer " + TOKEN,
                                                           "Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            return r.status, (json.loads(data) if data else None)
        return call

    def stop(self):
        self.proc.terminate()
        self.proc.wait(60)
        self.log.close()


def pack(folder, manifest=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in sorted(os.listdir(folder)):
            if manifest is not None and name == "manifest.json":
                data = json.dumps(manifest).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.add(os.path.join(folder, name), arcname=name)
    return buf.getvalue()


def audit_levels(host, echoes):
    """Echo round trips on two installs of the Node.js example, auditLevel basic vs comprehensive."""
    ids = {"basic": "aud-bench-basic", "comprehensive": "aud-bench-compr"}
    for level, pid in ids.items():
        folder = os.path.join(ROOT, "plugins", "hello-node")
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
            manifest = dict(json.load(f), id=pid, auditLevel=level)
        expect(host.call("POST", "/api/v1/plugins", pack(folder, manifest), "application/gzip"), 201, "install " + pid)
        expect(host.call("POST", f"/api/v1/plugins/{pid}/activate"), 200, "activate " + pid)
    rows = []
    for label, payload in (("70 B", {"n": 1, "s": "x" * 64}), ("8 KiB", {"s": "x" * 8192})):
        body = json.dumps({"type": "echo", "payload": payload})
        for pid in ids.values():
            for _ in range(20):
                host.call("POST", f"/api/v1/plugins/{pid}/actions", body)
        samples = {level: [] for level in ids}
        for _ in range(echoes):
            for level, pid in ids.items():
                samples[level].append(timed(lambda: expect(
                    host.call("POST", f"/api/v1/plugins/{pid}/actions", body), 200, "echo")))
        rows.append((label, stats(samples["comprehensive"]), stats(samples["basic"])))
    verify = expect(host.call("GET", "/api/v1/audit/verify"), 200, "verify")
    for pid in ids.values():
        expect(host.call("DELETE", f"/api/v1/plugins/{pid}"), 204, "uninstall")
    return rows, verify


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000.0


def expect(status_body, status, what):
    if status_body[0] != status:
        sys.exit(f"{what}: expected {status}, got {status_body}")
    return status_body[1]


def stats(samples):
    s = sorted(samples)
    return statistics.median(s), s[min(len(s) - 1, int(len(s) * 0.9))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default=os.path.join(ROOT, "target/quarkus-app/quarkus-run.jar"))
    ap.add_argument("--activations", type=int, default=15)
    ap.add_argument("--echoes", type=int, default=500)
    ap.add_argument("--messages", type=int, default=20000, help="messages per pair")
    ap.add_argument("--inflight", type=int, default=16, help="messages each sender keeps outstanding")
    ap.add_argument("--only", choices=["lifecycle", "messaging", "audit"], help="run one part only")
    args = ap.parse_args()
    wasm = os.path.join(ROOT, "plugins", "hello-wasm", "plugin.wasm")
    if not os.path.exists(wasm):
        sys.exit(f"{wasm} is missing: run `make wasm-plugins` (make bench does)")

    workdir = tempfile.mkdtemp(prefix="lm-bench-")
    host = Host(args.jar, workdir)
    rows = []
    msg_rows = []
    try:
        if args.only in (None, "messaging"):
            folder = os.path.join(ROOT, "src/bench/plugins/msg-bench")
            for pairs, inflight in ((1, 1), (1, args.inflight), (8, args.inflight)):
                msg_rows.append((pairs, inflight,
                                 msg_bench.proxied(host, pack, folder, pairs, args.messages, inflight),
                                 msg_bench.raw(pairs, args.messages, inflight)))
        for runtime, (plugin, image, bare) in (RUNTIMES.items() if args.only in (None, "lifecycle") else []):
            expect(host.call("POST", "/api/v1/plugins", pack(os.path.join(ROOT, "plugins", plugin)),
                             "application/gzip"), 201, "install " + plugin)
            # one warm-up of each, so page cache and image layers are equally hot for both
            subprocess.run(["docker", "run", "--rm", "--network", "none", "--entrypoint", bare[0], image] + bare[1:],
                           check=True, capture_output=True)
            expect(host.call("POST", f"/api/v1/plugins/{plugin}/activate"), 200, "activate")
            expect(host.call("POST", f"/api/v1/plugins/{plugin}/deactivate"), 200, "deactivate")
            act, base = [], []
            for _ in range(args.activations):
                base.append(timed(lambda: subprocess.run(
                    ["docker", "run", "--rm", "--network", "none", "--entrypoint", bare[0], image] + bare[1:],
                    check=True, capture_output=True)))
                act.append(timed(lambda: expect(host.call("POST", f"/api/v1/plugins/{plugin}/activate"), 200,
                                                "activate")))
                expect(host.call("POST", f"/api/v1/plugins/{plugin}/deactivate"), 200, "deactivate")
            expect(host.call("POST", f"/api/v1/plugins/{plugin}/activate"), 200, "activate")
            body = json.dumps({"type": "echo", "payload": {"n": 1, "s": "x" * 64}})
            for _ in range(20):
                host.call("POST", f"/api/v1/plugins/{plugin}/actions", body)
            echo, rest = [], []
            for _ in range(args.echoes):
                rest.append(timed(lambda: expect(host.call("GET", f"/api/v1/plugins/{plugin}"), 200, "get")))
                echo.append(timed(lambda: expect(host.call("POST", f"/api/v1/plugins/{plugin}/actions", body),
                                                 200, "echo")))
            expect(host.call("DELETE", f"/api/v1/plugins/{plugin}"), 204, "uninstall")
            rows.append((runtime, stats(act), stats(base), stats(echo), stats(rest)))
        audit_rows, verify = audit_levels(host, args.echoes) if args.only in (None, "audit") else ([], None)
    finally:
        host.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    if msg_rows:
        print(f"plugin-to-plugin messages per pair: {args.messages} (64-byte payload)\n")
        print("| pairs | in flight per sender | through the proxy: msg/s | p50 | p99 | errors |"
              " raw AF_UNIX: msg/s | p50 | p99 | proxy / raw throughput |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for pairs, inflight, px, rw in msg_rows:
            print(f"| {pairs} | {inflight} | {px['perSecond']:.0f} | {px['p50']:.2f} ms | {px['p99']:.2f} ms |"
                  f" {px['errors']} | {rw['perSecond']:.0f} | {rw['p50']:.3f} ms | {rw['p99']:.3f} ms |"
                  f" {px['perSecond'] / rw['perSecond']:.2f} |")
        print()
    if rows:
        print(f"activations per runtime: {args.activations}, echo round trips per runtime: {args.echoes}\n")
        print("| runtime | cold activation median (p90) | bare `docker run` median (p90) | ratio |"
              " echo via REST median (p90) | REST without plugin median (p90) |")
        print("| --- | --- | --- | --- | --- | --- |")
        for runtime, (a, a90), (b, b90), (e, e90), (r, r90) in rows:
            print(f"| {runtime} | {a:.0f} ms ({a90:.0f}) | {b:.0f} ms ({b90:.0f}) | {a / b:.2f}x |"
                  f" {e:.2f} ms ({e90:.2f}) | {r:.2f} ms ({r90:.2f}) |")
    if not audit_rows:
        return
    print(f"\naudit trail, echo via REST on hello-node, {args.echoes} round trips per level and payload, interleaved;"
          f" verify afterwards: valid={verify['valid']}, records={verify['records']}\n")
    print("| payload | auditLevel comprehensive median (p90) | auditLevel basic median (p90) | ratio |")
    print("| --- | --- | --- | --- |")
    for label, (c, c90), (b, b90) in audit_rows:
        print(f"| {label} | {c:.2f} ms ({c90:.2f}) | {b:.2f} ms ({b90:.2f}) | {c / b:.2f}x |")


if __name__ == "__main__":
    main()
