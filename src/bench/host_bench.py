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
and, in the `monitor` section (the host polls every 250 ms there):
  * accuracy: the working set the host reports vs. the one the bench reads itself from the
    container's cgroup files (usage - total_inactive_file), for 16/64/256 MiB allocations;
  * cost: control-plane CPU (from /proc/<pid>/stat of the Java process, % of one core) while
    polling N idle plugin containers, and the duration of one full poll round, against
    `docker stats --no-stream` over the same containers.
and, in the `load` section (load_bench.py; Debian's `wrk`, `--only load` runs just it):
  * plain REST reads vs. the echo action at 32 and 1 connections over 2 Node.js + 2 Python plugins,
    the echo per runtime at 1 connection, and a CPU-bound action at 200 connections on one plugin
    (answers by status, refusal latency, container replacements, the plugin's state after).
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

import cluster_bench
import egress_bench
import load_bench
import prewarm_bench
import msg_bench
import restart_bench
import sdk_bench
import shim_bench
import upgrade_bench
import wake_bench

# sections that live in their own files, run after the ones above by a full run (in this order)
SECTIONS = {
    "wake": wake_bench.wake_section,
    "prewarm": prewarm_bench.prewarm_section,
    "egress": egress_bench.egress_section,
    "restart": restart_bench.restart_section,
    "upgrade": upgrade_bench.upgrade_section,
    "cluster": cluster_bench.cluster_section,
    "shim": shim_bench.shim_section,
    "sdk": sdk_bench.sdk_section,  # last: it runs `make plugin`
}

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
    def __init__(self, jar, workdir, interval="1s", extra_env=None):
        self.port = free_port()
        env = {"PATH": os.environ["PATH"], "QUARKUS_HTTP_PORT": str(self.port),
               "QUARKUS_HTTP_HOST": "127.0.0.1", "LOGOMESH_DATA_DIR": os.path.join(workdir, "data"),
               "LOGOMESH_PLUGINS_DIR": os.path.join(workdir, "none"), "LOGOMESH_API_TOKEN": TOKEN,
               # measure the proxy, not the per-plugin rate limit (default 20000/s per sender)
               "LOGOMESH_MESSAGING_RATE_PER_SECOND": "10000000", "LOGOMESH_MESSAGING_BURST": "100000"}
        for key in ("LOGOMESH_DOCKER_NODEJS_IMAGE", "LOGOMESH_DOCKER_PYTHON_IMAGE", "LOGOMESH_DOCKER_WASM_IMAGE", "DOCKER_HOST"):
            if key in os.environ:
                env[key] = os.environ[key]
        env["LOGOMESH_MONITOR_INTERVAL"] = interval
        env.update(extra_env or {})
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

    def cpu_seconds(self):
        """User + system CPU time of the host process so far (from /proc/<pid>/stat)."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def metric(self, name):
        """One un-labelled value from /q/metrics."""
        self.conn = None
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", "/q/metrics", headers={"Authorization": "Bearer " + TOKEN})
        text = conn.getresponse().read().decode()
        conn.close()
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.rsplit(" ", 1)[1])
        return None

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


MIB = 1024 * 1024


def bundle(fixture, plugin_id, **resources):
    """A fixture folder packed with its manifest's id and resourceRequirements changed."""
    src = os.path.join(ROOT, fixture)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in sorted(os.listdir(src)):
            path = os.path.join(src, name)
            if name == "manifest.json":
                with open(path) as f:
                    manifest = json.load(f)
                manifest["id"] = plugin_id
                manifest.setdefault("resourceRequirements", {}).update(resources)
                data = json.dumps(manifest).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.add(path, arcname=name)
    return buf.getvalue()


def kernel_working_set(container_id):
    """usage - total_inactive_file from the container's cgroup (v1) or memory.current - inactive_file (v2)."""
    v1 = f"/sys/fs/cgroup/memory/docker/{container_id}"
    if os.path.isdir(v1):
        usage = int(open(v1 + "/memory.usage_in_bytes").read())
        stat = dict(line.split() for line in open(v1 + "/memory.stat"))
        return usage - int(stat["total_inactive_file"])
    for v2 in (f"/sys/fs/cgroup/system.slice/docker-{container_id}.scope", f"/sys/fs/cgroup/docker/{container_id}"):
        if os.path.isdir(v2):
            usage = int(open(v2 + "/memory.current").read())
            stat = dict(line.split() for line in open(v2 + "/memory.stat"))
            return usage - int(stat["inactive_file"])
    sys.exit("cannot read the cgroup of " + container_id)


def fresh_usage(host, plugin_id, after):
    """The first usage report whose sample was taken after `after` (epoch seconds)."""
    for _ in range(200):
        report = expect(host.call("GET", f"/api/v1/plugins/{plugin_id}/usage"), 200, "usage")
        ts = report["timestamp"].rstrip("Z")
        stamp = time.mktime(time.strptime(ts.split(".")[0], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        stamp += float("0." + ts.split(".")[1]) if "." in ts else 0
        if stamp > after:
            return report
        time.sleep(0.05)
    sys.exit("no fresh sample of " + plugin_id)


def accuracy(host, sizes):
    """Reported vs. kernel working set, and the reported rise vs. the allocation, per size."""
    rows = []
    for mb in sizes:
        pid = f"bench-mon-alloc-{mb}"
        expect(host.call("POST", "/api/v1/plugins", bundle("src/test/resources/plugins/echo-node", pid,
                                                             maxMemoryMB=min(1024, mb + 256), maxExecutionTimeMs=60000),
                         "application/gzip"), 201, "install " + pid)
        try:
            cid = expect(host.call("POST", f"/api/v1/plugins/{pid}/activate"), 200, "activate")["containerId"]
            expect(host.call("POST", f"/api/v1/plugins/{pid}/actions", json.dumps({"type": "echo"})), 200, "echo")
            time.sleep(1.0)
            before = fresh_usage(host, pid, time.time())["usage"]["memoryBytes"]
            expect(host.call("POST", f"/api/v1/plugins/{pid}/actions",
                             json.dumps({"type": "alloc", "payload": {"mb": mb}})), 200, "alloc")
            report = fresh_usage(host, pid, time.time())
            truth = kernel_working_set(cid)
            reported = report["usage"]["memoryBytes"]
            rows.append((mb, (reported - before) / MIB, reported / MIB, truth / MIB,
                         100.0 * (reported - truth) / truth, report["usage"]["source"]))
        finally:
            host.call("DELETE", f"/api/v1/plugins/{pid}")
    return rows


def cost(host, count, seconds):
    """Starts `count` idle plugins, then measures host CPU, poll-round latency and `docker stats`."""
    ids = [f"bench-mon-idle-{i:03d}" for i in range(count)]
    started = []
    try:
        for pid in ids:
            expect(host.call("POST", "/api/v1/plugins", bundle("plugins/hello-python", pid, maxMemoryMB=32),
                             "application/gzip"), 201, "install " + pid)
            status, body = host.call("POST", f"/api/v1/plugins/{pid}/activate")
            if status != 200:
                print(f"note: plugin {len(started) + 1} of {count} did not start ({status} {body}); measuring "
                      f"{len(started)}", file=sys.stderr)
                break
            started.append((pid, body["containerId"]))
        # let the rounds settle: right after a burst of activations the JVM still compiles and collects
        time.sleep(10)
        host.conn = None
        t0 = time.monotonic()
        n0 = host.metric("logomesh_monitor_round_seconds_count")
        s0 = host.metric("logomesh_monitor_round_seconds_sum")
        windows = []  # host CPU over three consecutive windows; the median is quoted
        for _ in range(3):
            c_start, t_start = host.cpu_seconds(), time.monotonic()
            time.sleep(seconds / 3)
            windows.append(100.0 * (host.cpu_seconds() - c_start) / (time.monotonic() - t_start))
        t1 = time.monotonic()
        n1 = host.metric("logomesh_monitor_round_seconds_count")
        s1 = host.metric("logomesh_monitor_round_seconds_sum")
        cpu_pct = (statistics.median(windows), min(windows), max(windows))
        rounds = n1 - n0
        mean_round_ms = 1000.0 * (s1 - s0) / rounds if rounds else float("nan")
        # the latency of single rounds, read from the last-round gauge a few times
        lat = []
        for _ in range(40):
            v = host.metric("logomesh_monitor_round_last_seconds")
            if v is not None:
                lat.append(v * 1000.0)
            time.sleep(0.3)
        sampled = host.metric("logomesh_monitor_containers")
        cids = [c for _, c in started]
        docker = [timed(lambda: subprocess.run(["docker", "stats", "--no-stream", "--format", "{{.ID}}"] + cids,
                                               check=True, capture_output=True)) for _ in range(3)]
        return (len(started), cpu_pct, rounds, (t1 - t0), mean_round_ms, stats(lat), sampled, stats(docker))
    finally:
        for pid in ids:
            host.call("DELETE", f"/api/v1/plugins/{pid}")


def monitor_section(args):
    workdir = tempfile.mkdtemp(prefix="lm-bench-mon-")
    host = Host(args.jar, workdir, interval="250ms")
    try:
        acc = accuracy(host, [16, 64, 256])
        host.conn = None
        time.sleep(2)
        c0, t0 = host.cpu_seconds(), time.monotonic()
        time.sleep(10)
        idle_pct = 100.0 * (host.cpu_seconds() - c0) / (time.monotonic() - t0)
        costs = [cost(host, n, args.monitor_seconds) for n in args.monitor_counts]
    finally:
        host.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        leftovers = subprocess.run(["docker", "ps", "-aq", "--filter", "name=logomesh-bench-mon-"],
                                   capture_output=True, text=True).stdout.split()
        if leftovers:
            subprocess.run(["docker", "rm", "-f"] + leftovers, capture_output=True)

    print("\n### Monitor: accuracy (poll interval 250 ms)\n")
    print("| allocated | reported rise | reported working set | kernel working set (read by the bench) |"
          " reported vs. kernel | source |")
    print("| --- | --- | --- | --- | --- | --- |")
    for mb, rise, rep, truth, err, source in acc:
        print(f"| {mb} MiB | {rise:.1f} MiB ({100.0 * (rise - mb) / mb:+.1f}%) | {rep:.1f} MiB | {truth:.1f} MiB |"
              f" {err:+.2f}% | {source} |")
    print(f"\n### Monitor: cost (poll interval 250 ms, {args.monitor_seconds} s per count, after 10 s of settling)\n")
    print(f"Host process CPU with no plugin running: {idle_pct:.2f}% of one core.\n")
    print("| idle containers | host CPU (% of one core), median of 3 windows (min–max) | rounds | mean round | round latency median (p90) |"
          " `docker stats --no-stream` median (p90) | ratio (docker stats / round) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n, cpu, rounds, window, mean_ms, (lm, l90), sampled, (dm, d90) in costs:
        print(f"| {n} (sampled {sampled:.0f}) | {cpu[0]:.2f}% ({cpu[1]:.2f}–{cpu[2]:.2f}) | {rounds:.0f} in {window:.0f} s |"
              f" {mean_ms:.1f} ms |"
              f" {lm:.1f} ms ({l90:.1f}) | {dm:.0f} ms ({d90:.0f}) | {dm / lm:.0f}x |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default=os.path.join(ROOT, "target/quarkus-app/quarkus-run.jar"))
    ap.add_argument("--activations", type=int, default=15)
    ap.add_argument("--echoes", type=int, default=500)
    ap.add_argument("--messages", type=int, default=20000, help="messages per pair")
    ap.add_argument("--inflight", type=int, default=16, help="messages each sender keeps outstanding")
    ap.add_argument("--only", choices=["lifecycle", "messaging", "audit", "monitor", "load"] + list(SECTIONS),
                    help="run one part only")
    ap.add_argument("--monitor-counts", type=lambda v: [int(x) for x in v.split(",")], default=[50, 100])
    ap.add_argument("--monitor-seconds", type=int, default=20)
    ap.add_argument("--load-warmup", type=int, default=15, help="seconds of wrk traffic before the load figures")
    ap.add_argument("--load-seconds", type=int, default=10, help="seconds per load row")
    ap.add_argument("--overload-seconds", type=int, default=10)
    ap.add_argument("--sdk-runs", type=int, default=3, help="rounds of make plugin -> running plugin per runtime")
    ap.add_argument("--egress-connections", type=int, default=200, help="connection set-ups per path (egress)")
    ap.add_argument("--egress-bytes", type=int, default=64 * 1024 * 1024, help="bytes of the bulk transfer (egress)")
    restart_bench.add_arguments(ap)
    cluster_bench.add_arguments(ap)
    shim_bench.add_arguments(ap)
    ap.add_argument("--prewarm-activations", type=int, default=30)
    ap.add_argument("--prewarm-recoveries", type=int, default=10)
    ap.add_argument("--prewarm-warmup", type=int, default=30,
                    help="uncounted rounds of prewarmed activations (one per runtime) before the measured ones (JIT warm-up)")
    ap.add_argument("--prewarm-jar-before", help="a jar without prewarm (e.g. main's) for the 'before' cold figure")
    args = ap.parse_args()
    wasm = os.path.join(ROOT, "plugins", "hello-wasm", "plugin.wasm")
    if args.only in (None, "lifecycle") and not os.path.exists(wasm):
        sys.exit(f"{wasm} is missing: run `make wasm-plugins` (make bench does)")
    if args.only in SECTIONS:  # a section of its own file (sdk_bench.py, upgrade_bench.py, ...)
        SECTIONS[args.only](args, sys.modules[__name__])
        return
    if args.only not in ("monitor", "load"):
        activation_section(args)
    if args.only in (None, "monitor"):
        monitor_section(args)
    if args.only in (None, "load"):
        load_bench.load_section(args, sys.modules[__name__])
    if args.only is None:
        for section in SECTIONS.values():
            section(args, sys.modules[__name__])


def activation_section(args):

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
