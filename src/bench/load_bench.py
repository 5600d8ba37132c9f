"""`make bench`, load section: the host on the request path of a platform's users (issue 18).

The packaged service (started by host_bench.Host on 127.0.0.1) with plugins installed from bundles:
2 Node.js and 2 Python (src/bench/plugins/load-node, load-python: an `echo` and a CPU-bound `spin`
action) and the WebAssembly example hello-wasm (echo), all at securityLevel standard, auditLevel
detailed, maxCpuPercent 50, maxExecutionTimeMs 2000. Driven by Debian's `wrk` (compiled; 2 threads,
keep-alive) with a Lua script that rotates the requests over the plugins, after a warm-up:
  * plain GET /api/v1/plugins/{id} at 32 connections (the baseline), the echo action at 32;
  * both at one connection, the echo per runtime (the action's added p50 over a read);
  * overload: `spin` of 20 ms at 200 connections on one Node.js plugin: the answers by status, the
    latency of refusals (429/503/504, from probe connections that time each call), container
    replacements (the container id of the plugin polled during the run), the plugin's state after,
    and the echo latency of a Python plugin during the run (other plugins unaffected?).
Every non-200 answer is counted, never fatal: 429/503 are what admission control answers.
"""
import http.client
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from kernel_cpu import container_cpu_seconds

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODE = ["load-node-a", "load-node-b"]
PYTHON = ["load-python-a", "load-python-b"]
WASM = ["load-wasm"]
MIXED = NODE + PYTHON
OVERLOADED = NODE[0]
LIMITS = {"maxCpuPercent": 50, "maxExecutionTimeMs": 2000}
ECHO = json.dumps({"type": "echo", "payload": {"n": 1, "s": "x" * 64}})
SPIN = json.dumps({"type": "spin", "payload": {"ms": 20}})

LUA = r"""
local paths = {%(paths)s}
local method = "%(method)s"
local body = %(body)s
wrk.headers["Authorization"] = "Bearer %(token)s"
if body then wrk.headers["Content-Type"] = "application/json" end
local threads = {}
function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
function init(args)
  counts = {}
  i = offset %% #paths
end
function request()
  i = i %% #paths + 1
  return wrk.format(method, paths[i], nil, body)
end
function response(status, headers, b)
  counts[status] = (counts[status] or 0) + 1
end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do all[k] = (all[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(all) do table.insert(parts, string.format('"%%d": %%d', k, v)) end
  local e = summary.errors
  io.write(string.format('LMJSON {"requests": %%d, "duration_us": %%d, "p50": %%d, "p90": %%d, "p99": %%d,'
    .. ' "max": %%d, "mean": %%f, "errors": {"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d},'
    .. ' "status": {%%s}}\n', summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.timeout,
    table.concat(parts, ", ")))
end
"""


def ensure_wrk():
    if shutil.which("wrk"):
        return
    subprocess.run([os.path.join(ROOT, "deploy", "ensure-wrk.sh")], check=True)


def wrk_cpu_seconds():
    """CPU time of the finished child processes so far (wrk runs as one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_now(host, pids):
    """CPU seconds used so far by the host process, the plugins' containers (their cgroups) and wrk."""
    plugins = 0.0
    for pid in pids:
        found = container_id(pid)
        if found:
            plugins += container_cpu_seconds(found[0])
    return {"host": host.cpu_seconds(), "plugins": plugins, "wrk": wrk_cpu_seconds()}


def wrk(host, workdir, paths, seconds, connections, body=None, cpu_of=None):
    """One wrk run; returns its summary (latencies in ms, rate per second, answers by status). With cpu_of (the
    plugin ids whose containers count), also the CPU each party used per answer, in µs ("cpu_us")."""
    before = cpu_now(host, cpu_of) if cpu_of is not None else None
    script = os.path.join(workdir, "load.lua")
    with open(script, "w") as f:
        f.write(LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "method": "POST" if body else "GET",
                       "body": json.dumps(body) if body else "nil", "token": host.token})
    threads = 2 if connections >= 2 else 1
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
                          "-s", script, f"http://127.0.0.1:{host.port}"], capture_output=True, text=True, check=True)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("LMJSON ")), None)
    if line is None:
        sys.exit("wrk printed no summary:\n" + out.stdout + out.stderr)
    r = json.loads(line[len("LMJSON "):])
    seconds = r["duration_us"] / 1e6
    status = {int(k): v for k, v in r["status"].items()}
    summary = {"rate": r["requests"] / seconds, "ok_rate": status.get(200, 0) / seconds, "requests": r["requests"],
               "p50": r["p50"] / 1000.0, "p90": r["p90"] / 1000.0, "p99": r["p99"] / 1000.0,
               "max": r["max"] / 1000.0, "status": status, "errors": r["errors"]}
    if before is not None:
        after = cpu_now(host, cpu_of)
        summary["cpu_us"] = {k: (after[k] - before[k]) * 1e6 / max(1, r["requests"]) for k in before}
    return summary


ONE_AT_A_TIME_ROUNDS = 3


def one_at_a_time(host, workdir, seconds):
    """Echo at one connection per runtime against a read at one connection, in ONE_AT_A_TIME_ROUNDS interleaved
    rounds (read, Node.js, Python, WebAssembly; ``seconds`` each): a runtime's added p50 is its p50 minus the
    read's of the same round, so a slow spell of the machine hits both. Returns (name, [(read, echo), ...])."""
    runs = {name: [] for name in ("nodejs", "python", "webassembly")}
    for _ in range(ONE_AT_A_TIME_ROUNDS):
        read = wrk(host, workdir, read_paths(MIXED), seconds, 1)
        for name, group in (("nodejs", NODE), ("python", PYTHON), ("webassembly", WASM)):
            runs[name].append((read, wrk(host, workdir, action_paths(group), seconds, 1, ECHO)))
    return list(runs.items())


def compiler_cpu_seconds(pid):
    """CPU time the JVM's JIT compiler threads (C1, C2) used so far, from /proc/<pid>/task/*/stat."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        if name.startswith(("C1 Compiler", "C2 Compiler")):
            total += int(rest[11]) + int(rest[12])
    return total / os.sysconf("SC_CLK_TCK")


def warm_up(host, workdir, rounds_of, minimum, maximum=150):
    """Runs ``rounds_of`` (wrk keyword arguments, one dict per run) in rounds until the JIT is done: at least
    ``minimum`` seconds, and until the compiler threads used under 5 % of a core during a round (at most
    ``maximum`` seconds). Returns (seconds, rounds, the compilers' share of a core in the last round)."""
    t0 = time.monotonic()
    rounds = 0
    while True:
        c0, r0 = compiler_cpu_seconds(host.proc.pid), time.monotonic()
        for run in rounds_of:
            wrk(host, workdir, **run)
        share = (compiler_cpu_seconds(host.proc.pid) - c0) / (time.monotonic() - r0)
        rounds += 1
        spent = time.monotonic() - t0
        if (share < 0.05 and spent >= minimum) or spent >= maximum:
            return spent, rounds, share


def action_paths(ids):
    return [f"/api/v1/plugins/{pid}/actions" for pid in ids]


def read_paths(ids):
    return [f"/api/v1/plugins/{pid}" for pid in ids]


def install(host, pack, expect, folder, pid):
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    manifest.update(id=pid, securityLevel="standard", auditLevel="detailed")
    manifest.setdefault("resourceRequirements", {}).update(LIMITS)
    expect(host.call("POST", "/api/v1/plugins", pack(folder, manifest), "application/gzip"), 201, "install " + pid)
    expect(host.call("POST", f"/api/v1/plugins/{pid}/activate"), 200, "activate " + pid)


def install_all(host, pack, expect, ids, with_wasm):
    """Installs and activates the load plugins (2 Node.js, 2 Python, and with_wasm the WebAssembly one),
    appending each id to ``ids`` as it is installed (so a caller's clean-up sees the ones that made it)."""
    groups = [(os.path.join(ROOT, "src/bench/plugins/load-node"), NODE),
              (os.path.join(ROOT, "src/bench/plugins/load-python"), PYTHON)]
    if with_wasm:
        groups.append((os.path.join(ROOT, "plugins/hello-wasm"), WASM))
    for folder, group in groups:
        for pid in group:
            install(host, pack, expect, folder, pid)
            ids.append(pid)


def container_id(pid):
    out = subprocess.run(["docker", "inspect", "-f", "{{.Id}} {{.RestartCount}}", "logomesh-" + pid],
                         capture_output=True, text=True)
    return out.stdout.split() if out.returncode == 0 else None


class Watch(threading.Thread):
    """Polls the container of a plugin (every 100 ms) and its state through the API (every 500 ms)."""

    def __init__(self, host, pid):
        super().__init__(daemon=True)
        self.host, self.pid = host, pid
        self.ids, self.states, self.stop = [], [], threading.Event()

    def run(self):
        call = self.host.new_connection()
        tick = 0
        while not self.stop.is_set():
            seen = container_id(self.pid)
            if seen and (not self.ids or self.ids[-1] != seen[0]):
                self.ids.append(seen[0])
            if tick % 5 == 0:
                try:
                    self.states.append(call("GET", f"/api/v1/plugins/{self.pid}")[1].get("state"))
                except (OSError, http.client.HTTPException, AttributeError):
                    call = self.host.new_connection()
            tick += 1
            time.sleep(0.1)


class Probe(threading.Thread):
    """Calls one plugin in a loop on a connection of its own and times every answer."""

    def __init__(self, host, pid, body, deadline):
        super().__init__(daemon=True)
        self.host, self.pid, self.body, self.deadline = host, pid, body, deadline
        self.samples = []  # (status, ms)

    def run(self):
        call = self.host.new_connection()
        while time.monotonic() < self.deadline:
            t0 = time.perf_counter()
            try:
                status = call("POST", f"/api/v1/plugins/{self.pid}/actions", self.body)[0]
            except (OSError, http.client.HTTPException, ValueError):
                status = 0
                call = self.host.new_connection()
            self.samples.append((status, (time.perf_counter() - t0) * 1000.0))


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100.0))] if s else float("nan")


def overload(host, workdir, seconds, connections):
    # the refusal path (admission, exception mapping, refusal audit) gets its own JIT warm-up first: the
    # echo warm-up never refuses
    initial = container_id(OVERLOADED)
    warmed = warm_up(host, workdir, [dict(paths=action_paths([OVERLOADED]), seconds=4, connections=connections,
                                          body=SPIN)], 8, maximum=60)
    time.sleep(3)  # the queued spins of the warm-up are done
    before = container_id(OVERLOADED)
    watch = Watch(host, OVERLOADED)
    watch.start()
    deadline = time.monotonic() + seconds
    probes = [Probe(host, OVERLOADED, SPIN, deadline) for _ in range(4)]
    bystander = Probe(host, PYTHON[0], ECHO, deadline)
    for p in probes + [bystander]:
        p.start()
    run = wrk(host, workdir, action_paths([OVERLOADED]), seconds, connections - len(probes), SPIN)
    for p in probes + [bystander]:
        p.join(60)
    time.sleep(3)  # what the plugin looks like once the burst is over
    watch.stop.set()
    watch.join(10)
    after = container_id(OVERLOADED)
    state = host.call("GET", f"/api/v1/plugins/{OVERLOADED}")[1].get("state")
    samples = [s for p in probes for s in p.samples]
    refused = [ms for status, ms in samples if status != 200]
    answered = [ms for status, ms in samples if status == 200]
    by_status = {}
    for status, _ in samples:
        by_status[status] = by_status.get(status, 0) + 1
    ids = watch.ids if watch.ids else [before[0]]
    if after and after[0] != ids[-1]:
        ids.append(after[0])
    return {"wrk": run, "probe_status": by_status, "refused_p50": pct(refused, 50), "refused_p99": pct(refused, 99),
            "ok_p50": pct(answered, 50), "ok_p99": pct(answered, 99), "replacements": len(ids) - 1,
            "restart_count": int(after[1]) if after else None, "same_container": bool(after and before
                                                                                      and after[0] == before[0]),
            "states": sorted(set(watch.states)), "state_after": state,
            "bystander": [ms for status, ms in bystander.samples if status == 200],
            "bystander_other": len([1 for status, _ in bystander.samples if status != 200]), "warmed": warmed,
            "replaced_in_warm_up": bool(initial and before and initial[0] != before[0])}


def load_section(args, hb):
    """Runs the load section and prints its tables (hb: the host_bench module: Host, pack, expect, TOKEN)."""
    ensure_wrk()
    pack, expect = hb.pack, hb.expect
    workdir = tempfile.mkdtemp(prefix="lm-bench-load-")
    host = hb.Host(args.jar, workdir)
    host.token = hb.TOKEN
    ids = []
    uninstall = {}
    try:
        install_all(host, pack, expect, ids, with_wasm=True)
        for pid in ids:  # every plugin answers before anything is timed
            expect(host.call("POST", f"/api/v1/plugins/{pid}/actions", ECHO), 200, "echo " + pid)
        load_average = os.getloadavg()
        warmed = warm_up(host, workdir, [dict(paths=read_paths(MIXED), seconds=4, connections=32),
                                         dict(paths=action_paths(MIXED + WASM), seconds=4, connections=32, body=ECHO)],
                         args.load_warmup)
        s = args.load_seconds
        rows = {
            "read32": wrk(host, workdir, read_paths(MIXED), s, 32, cpu_of=MIXED),
            "echo32": wrk(host, workdir, action_paths(MIXED), s, 32, ECHO, cpu_of=MIXED),
            "read1": wrk(host, workdir, read_paths(MIXED), s, 1),
            "echo1": wrk(host, workdir, action_paths(MIXED), s, 1, ECHO),
            # where an echo's CPU goes, per runtime: the same load on the two plugins of one runtime only
            "echo32_node": wrk(host, workdir, action_paths(NODE), s, 32, ECHO, cpu_of=NODE),
            "echo32_python": wrk(host, workdir, action_paths(PYTHON), s, 32, ECHO, cpu_of=PYTHON),
        }
        per_runtime = one_at_a_time(host, workdir, max(2, s // 2))
        over = overload(host, workdir, args.overload_seconds, 200)
        t0 = time.perf_counter()
        status, body = host.call("DELETE", f"/api/v1/plugins/{OVERLOADED}")
        uninstall = {"status": status, "ms": (time.perf_counter() - t0) * 1000.0,
                     "left": host.call("GET", f"/api/v1/plugins/{OVERLOADED}")[0], "body": body}
        ids.remove(OVERLOADED)
    finally:
        for pid in ids:
            try:
                host.call("DELETE", f"/api/v1/plugins/{pid}")
            except (OSError, http.client.HTTPException):
                host.conn = None
        host.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    report(args, rows, per_runtime, over, uninstall, load_average, warmed)


def statuses(counts):
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "none"


def report(args, rows, per_runtime, over, uninstall, load_average, warmed):
    r32, e32, r1, e1 = rows["read32"], rows["echo32"], rows["read1"], rows["echo1"]
    print(f"\n### Load (wrk, keep-alive, after {warmed[0]:.0f} s of warm-up in {warmed[1]} rounds of reads and"
          f" echoes, until the JIT compiler threads used under 5 % of a core in a round (last {100 * warmed[2]:.1f} %;"
          f" at least {args.load_warmup} s); {args.load_seconds} s per row;"
          f" 2 Node.js + 2 Python plugins, requests rotating over them; load average before the warm-up"
          f" {load_average[0]:.1f} / {load_average[1]:.1f} / {load_average[2]:.1f})\n")
    print("| what | answers/s (200 only) | p50 | p90 | p99 | answers by status |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, r in (("plain `GET /api/v1/plugins/{id}`, 32 connections", r32),
                     ("echo action, 32 connections", e32),
                     ("plain read, 1 connection", r1), ("echo action, 1 connection", e1)):
        print(f"| {label} | {r['rate']:.0f} ({r['ok_rate']:.0f}) | {r['p50']:.3f} ms | {r['p90']:.3f} ms |"
              f" {r['p99']:.3f} ms | {statuses(r['status'])} |")
    print(f"\nEcho at 32 connections: **{e32['ok_rate'] / r32['rate']:.2f}×** the rate of the reads in the same run"
          f" (goal ≥ 0.6×), p99 {e32['p99']:.1f} ms (goal ≤ 10 ms).\n")
    cores = os.cpu_count() or 1
    print(f"CPU per answer at 32 connections, in µs (kernel accounting: /proc of the host process, the cgroups of"
          f" the 4 plugins' containers, wrk's rusage; {cores} cores, shared by all three):\n")
    print("| row | host | plugins | wrk | all | rate if the cores were busy with nothing else |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, r in (("read", r32), ("echo", e32), ("echo, the 2 Node.js plugins only", rows["echo32_node"]),
                     ("echo, the 2 Python plugins only", rows["echo32_python"])):
        c = r["cpu_us"]
        total = c["host"] + c["plugins"] + c["wrk"]
        print(f"| {label} | {c['host']:.0f} | {c['plugins']:.0f} | {c['wrk']:.0f} | {total:.0f} |"
              f" {cores * 1e6 / total:.0f}/s |")
    print(f"\n(the last two rows: {rows['echo32_node']['ok_rate']:.0f} and {rows['echo32_python']['ok_rate']:.0f}"
          f" echoes/s, p99 {rows['echo32_node']['p99']:.1f} and {rows['echo32_python']['p99']:.1f} ms)")
    ceiling = sum(r32["cpu_us"].values()) / sum(e32["cpu_us"].values())
    print(f"\nWith these costs the echo/read ratio cannot pass **{ceiling:.2f}×** on this machine, whatever the"
          f" scheduling: an echo needs that much more CPU than a read, host and plugins together.\n")
    print(f"| runtime (echo, 1 connection; {ONE_AT_A_TIME_ROUNDS} rounds, each beside a read of its own) | p50 of"
          f" each round | p99 of each round | added p50 over the round's read | median added | answers by status |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, runs in per_runtime:
        added = [echo["p50"] - read["p50"] for read, echo in runs]
        counts = {}
        for _, echo in runs:
            for code, n in echo["status"].items():
                counts[code] = counts.get(code, 0) + n
        p50s = " / ".join(f"{e['p50']:.3f}" for _, e in runs)
        p99s = " / ".join(f"{e['p99']:.2f}" for _, e in runs)
        adds = " / ".join(f"{a:+.3f}" for a in added)
        print(f"| {name} | {p50s} ms | {p99s} ms | {adds} ms | **{statistics.median(added):+.3f} ms** |"
              f" {statuses(counts)} |")
    reads = [read["p50"] for read, _ in per_runtime[0][1]]
    read_p50s = " / ".join(f"{x:.3f}" for x in reads)
    print(f"\n(read at 1 connection in those rounds: p50 {read_p50s} ms; goal: an action adds ≤ 0.2 ms p50.)\n")
    w = over["wrk"]
    errors = {k: v for k, v in w["errors"].items() if v}
    print(f"### Overload: `spin` 20 ms at 200 connections on {OVERLOADED} for {args.overload_seconds} s (after"
          f" {over['warmed'][0]:.0f} s of the same as JIT warm-up, {over['warmed'][1]} rounds, compilers"
          f" {100 * over['warmed'][2]:.1f} % of a core in the last; replacements counted from the measured run)\n")
    print("| what | observed |")
    print("| --- | --- |")
    print(f"| answers (wrk, 196 connections) | {w['requests']} ({statuses(w['status'])})"
          f"{'; socket errors ' + json.dumps(errors) if errors else ''} |")
    print(f"| latency of all answers (wrk) | p50 {w['p50']:.0f} ms, p99 {w['p99']:.0f} ms, max {w['max']:.0f} ms |")
    print(f"| probes (4 connections, each call timed) | {statuses(over['probe_status'])} |")
    print(f"| latency of a refusal (non-200, probes) | p50 {over['refused_p50']:.1f} ms,"
          f" p99 {over['refused_p99']:.1f} ms (goal ≤ 50 ms) |")
    print(f"| latency of a 200 (probes) | p50 {over['ok_p50']:.0f} ms, p99 {over['ok_p99']:.0f} ms |")
    print(f"| container replaced during the warm-up | {'yes' if over['replaced_in_warm_up'] else 'no'} |")
    print(f"| container replacements during the run and 3 s after | {over['replacements']} (same container after:"
          f" {'yes' if over['same_container'] else 'no'}; its RestartCount {over['restart_count']}) |")
    print(f"| plugin state seen during / 3 s after | {', '.join(map(str, over['states']))} / {over['state_after']} |")
    b = over["bystander"]
    print(f"| echo on {PYTHON[0]} meanwhile (1 connection) | {len(b)} answers 200, p50 {pct(b, 50):.2f} ms,"
          f" p99 {pct(b, 99):.2f} ms; {over['bystander_other']} other |")
    print(f"| `DELETE` of {OVERLOADED} right after | {uninstall.get('status')} in {uninstall.get('ms', 0):.0f} ms;"
          f" GET afterwards: {uninstall.get('left')} |")
