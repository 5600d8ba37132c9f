"""Prewarmed cells (docs/prewarm.md): `host_bench.py --only prewarm`.

Per runtime, in one run: activation (POST /activate -> ACTIVE) taking a cell, cold (pool off), and a bare
`docker run` of the same image, p50/p99 and both ratios; recovery after a timeout (504 answered -> the next
action served); 50 activations back to back against pool sizes 2 and 8; a full pool's memory (cgroup working set
of the cells) and the CPU it costs while idle (host process + cells). Traffic stays on 127.0.0.1.
With --prewarm-jar-before, the cold figures also come from that jar (e.g. main's, before this change).
"""
import json
import os
import subprocess
import tempfile
import time

from kernel_cpu import container_cpu_seconds

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "src/test/resources/plugins")
RUNTIMES = {  # the echo fixtures sleep on demand (for the timeout); bare run as host_bench's
    "nodejs": ("echo-node", "logomesh-runtime-nodejs:latest", ["/usr/local/bin/node", "-e", "0"]),
    "python": ("echo-python", "logomesh-runtime-python:latest", ["/usr/bin/python3", "-c", "0"]),
    "webassembly": ("echo-wasm", "logomesh-runtime-wasm:latest", ["/usr/local/bin/node", "-e", "0"]),
}
SIZES = {"nodejs": 2, "python": 2, "webassembly": 2}
BURST_POOL = 8  # the burst again against a Python pool this large


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def pool_env(size):
    env = {f"LOGOMESH_PREWARM_{k.upper()}_SIZE": str(size if isinstance(size, int) else size[k]) for k in SIZES}
    env["LOGOMESH_PREWARM_NODEJS_SECURITY_LEVEL"] = "standard"  # the echo fixtures' level
    return env


def wait_pool(host, runtime, want, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        status, body = host.call("GET", "/api/v1/system")
        if status == 200 and (body.get("prewarm") or {}).get(runtime, {}).get("ready", 0) >= want:
            return
        time.sleep(0.05)
    raise SystemExit(f"the {runtime} pool did not fill to {want}")


def activations(hb, host, runtimes, n, warm, warmup=0):
    """n activations per runtime, interleaved (one of each runtime per round, so every runtime is measured under the
    same host state: measured one runtime after the other, whichever came first read about 2 ms slower, its
    samples taken while the JIT was still compiling the host's activation path), after `warmup` uncounted rounds
    (over the first few dozen activations the JIT takes that path from about 14 to 8 ms at the median); each
    activation right after a bare `docker run` of the same image. Returns {runtime: (activations, bare runs)}."""
    ids = {}
    for runtime in runtimes:
        fixture = RUNTIMES[runtime][0]
        ids[runtime] = f"pwb-{runtime}"
        hb.expect(host.call("POST", "/api/v1/plugins", hb.bundle(os.path.join(FIXTURES, fixture), ids[runtime]),
                            "application/gzip"), 201, "install " + ids[runtime])

    def cycle(runtime):
        if warm:
            wait_pool(host, runtime, SIZES[runtime])
        hb.expect(host.call("POST", f"/api/v1/plugins/{ids[runtime]}/activate"), 200, "activate")
        hb.expect(host.call("POST", f"/api/v1/plugins/{ids[runtime]}/deactivate"), 200, "deactivate")

    for _ in range(warmup):
        for runtime in runtimes:
            cycle(runtime)
    out = {runtime: ([], []) for runtime in runtimes}
    for i in range(n + 1):
        for runtime in runtimes:
            _, image, bare = RUNTIMES[runtime]
            pid = ids[runtime]
            if warm:
                wait_pool(host, runtime, SIZES[runtime])
            base_ms = hb.timed(lambda: subprocess.run(["docker", "run", "--rm", "--network", "none", "--entrypoint",
                                                       bare[0], image] + bare[1:], check=True, capture_output=True))
            ms = hb.timed(lambda: hb.expect(host.call("POST", f"/api/v1/plugins/{pid}/activate"), 200, "activate"))
            hb.expect(host.call("POST", f"/api/v1/plugins/{pid}/deactivate"), 200, "deactivate")
            if i > 0:  # the first round warms page cache and image layers
                out[runtime][0].append(ms)
                out[runtime][1].append(base_ms)
    for pid in ids.values():
        hb.expect(host.call("DELETE", f"/api/v1/plugins/{pid}"), 204, "uninstall")
    return out


def read_floor(hb, host, n):
    """A plain REST read timed under the activations' conditions (right after the same bare `docker run`): the
    part of an activation that is the HTTP round trip of an idle client to an idle host, not the start."""
    image, bare = RUNTIMES["python"][1], RUNTIMES["python"][2]
    out = []
    for i in range(n + 1):
        subprocess.run(["docker", "run", "--rm", "--network", "none", "--entrypoint", bare[0], image] + bare[1:],
                       check=True, capture_output=True)
        ms = hb.timed(lambda: hb.expect(host.call("GET", "/api/v1/plugins"), 200, "list"))
        if i > 0:
            out.append(ms)
    return out


def recovery(hb, host, runtime, n, warm):
    fixture = RUNTIMES[runtime][0]
    pid = f"pwr-{runtime}"
    hb.expect(host.call("POST", "/api/v1/plugins", hb.bundle(os.path.join(FIXTURES, fixture), pid,
                                                             maxExecutionTimeMs=300), "application/gzip"), 201, "install")
    hb.expect(host.call("POST", f"/api/v1/plugins/{pid}/activate"), 200, "activate")
    sleep = json.dumps({"type": "sleep", "payload": {"ms": 5000}})
    echo = json.dumps({"type": "echo", "payload": {"n": 1}})
    out = []
    for _ in range(n):
        if warm:
            wait_pool(host, runtime, SIZES[runtime])
        hb.expect(host.call("POST", f"/api/v1/plugins/{pid}/actions", sleep), 504, "timeout")
        t0 = time.perf_counter()
        while True:
            status, body = host.call("POST", f"/api/v1/plugins/{pid}/actions", echo)
            if status == 200:
                break
            if status != 503 or time.perf_counter() - t0 > 30:
                raise SystemExit(f"recovery: unexpected {status} {body}")
            time.sleep(0.005)
        out.append((time.perf_counter() - t0) * 1000.0)
    hb.expect(host.call("DELETE", f"/api/v1/plugins/{pid}"), 204, "uninstall")
    return out


def burst(hb, host, count, size):
    ids = [f"pwburst-{i}" for i in range(count)]
    for pid in ids:
        hb.expect(host.call("POST", "/api/v1/plugins", hb.bundle(os.path.join(FIXTURES, "echo-python"), pid),
                            "application/gzip"), 201, "install")
    wait_pool(host, "python", size)
    times = [hb.timed(lambda: hb.expect(host.call("POST", f"/api/v1/plugins/{pid}/activate"), 200, "activate"))
             for pid in ids]
    for pid in ids:
        host.call("DELETE", f"/api/v1/plugins/{pid}")
    return times


def cells_cost(hb, host, seconds):
    ids = subprocess.run(["docker", "ps", "-q", "--no-trunc", "--filter", "label=io.logomesh.pool"],
                         capture_output=True, text=True, check=True).stdout.split()
    memory = {}
    for cid in ids:
        name = subprocess.run(["docker", "inspect", "-f", "{{.Config.Labels}}", cid], capture_output=True,
                              text=True).stdout
        runtime = next((r for r in SIZES if f"io.logomesh.pool:{r}" in name), "?")
        memory.setdefault(runtime, []).append(hb.kernel_working_set(cid))

    def cells_cpu():
        return sum(container_cpu_seconds(cid) for cid in ids)
    h0, c0 = host.cpu_seconds(), cells_cpu()
    time.sleep(seconds)
    return memory, (host.cpu_seconds() - h0) / seconds * 100, (cells_cpu() - c0) / seconds * 100


def prewarm_section(args, hb):
    """Runs the prewarm section and prints its tables (hb: the host_bench module)."""
    n = args.prewarm_activations
    results = {}
    cold_before = {}
    if args.prewarm_jar_before:
        work = tempfile.mkdtemp(prefix="lm-bench-pw-before-")
        host = hb.Host(args.prewarm_jar_before, work)
        try:
            cold_before = {r: acts for r, (acts, _) in activations(hb, host, list(RUNTIMES), n, False).items()}
        finally:
            host.stop()
    work = tempfile.mkdtemp(prefix="lm-bench-pw-cold-")
    host = hb.Host(args.jar, work, extra_env=pool_env(0))
    try:
        results = {r: {"cold": pair} for r, pair in activations(hb, host, list(RUNTIMES), n, False).items()}
        cold_recovery = {r: recovery(hb, host, r, args.prewarm_recoveries, False) for r in ("nodejs", "python")}
    finally:
        host.stop()
    work = tempfile.mkdtemp(prefix="lm-bench-pw-warm-")
    host = hb.Host(args.jar, work, extra_env=pool_env(SIZES))
    try:
        for runtime, pair in activations(hb, host, list(RUNTIMES), n, True, args.prewarm_warmup).items():
            results[runtime]["warm"] = pair
        floor = read_floor(hb, host, n)
        warm_recovery = {r: recovery(hb, host, r, args.prewarm_recoveries, True) for r in ("nodejs", "python")}
        for runtime in RUNTIMES:
            wait_pool(host, runtime, SIZES[runtime])
        memory, host_cpu, cells_cpu = cells_cost(hb, host, 10)
        bursts = {SIZES["python"]: burst(hb, host, 50, SIZES["python"])}
    finally:
        host.stop()
    # the same burst against a larger Python pool (the JIT warmed up first, as on the host above)
    work = tempfile.mkdtemp(prefix="lm-bench-pw-burst-")
    host = hb.Host(args.jar, work, extra_env=pool_env({"nodejs": 0, "python": BURST_POOL, "webassembly": 0}))
    try:
        activations(hb, host, ["python"], 0, True, args.prewarm_warmup)
        bursts[BURST_POOL] = burst(hb, host, 50, BURST_POOL)
    finally:
        host.stop()

    print("\n### Prewarmed activation (POST /activate -> ACTIVE, ms; goal p50 <= 10, p99 <= 25)\n")
    print("| runtime | prewarmed p50 | p99 | cold p50 | p99 | cold before (main) p50 | bare `docker run` p50 "
          "| prewarmed / cold | prewarmed / bare |")
    print("|---|---|---|---|---|---|---|---|---|")
    for runtime, r in results.items():
        warm, _ = r["warm"]
        cold, bare = r["cold"]
        before = f"{pct(cold_before[runtime], 50):.0f}" if runtime in cold_before else "-"
        print(f"| {runtime} | {pct(warm, 50):.1f} | {pct(warm, 99):.1f} | {pct(cold, 50):.0f} | {pct(cold, 99):.0f} "
              f"| {before} | {pct(bare, 50):.0f} | {pct(warm, 50) / pct(cold, 50):.3f} "
              f"| {pct(warm, 50) / pct(bare, 50):.3f} |")
    print(f"\n({n} activations per runtime, interleaved (one of each runtime per round), after {args.prewarm_warmup} "
          f"uncounted rounds; pool size {SIZES}, refilled between activations.) The floor under these "
          f"figures: a plain REST read (`GET /api/v1/plugins`) timed the same way, right after the same bare "
          f"`docker run`: p50 {pct(floor, 50):.1f} ms, p99 {pct(floor, 99):.1f} ms.")
    print("\n### Recovery after a timeout (504 answered -> next action served, ms; goal p50 <= 25)\n")
    print("| runtime | prewarmed p50 | p99 | cold p50 | p99 |")
    print("|---|---|---|---|---|")
    for runtime in warm_recovery:
        w, c = warm_recovery[runtime], cold_recovery[runtime]
        print(f"| {runtime} | {pct(w, 50):.1f} | {pct(w, 99):.1f} | {pct(c, 50):.0f} | {pct(c, 99):.0f} |")
    print("\n### 50 Python activations back to back, by pool size (refill parallelism 2)\n")
    cell = sum(memory["python"]) / len(memory["python"]) / 1048576 if memory.get("python") else float("nan")
    print("| pool size | 1..size (from the full pool) p50 ms | size+1..50 (pool dry, refilling) p50 ms | max ms "
          "| all 50 p50 ms | all 50 in total s | the full pool's memory (size x a Python cell's working set) MiB |")
    print("|---|---|---|---|---|---|---|")
    for k, times in bursts.items():
        print(f"| {k} | {pct(times[:k], 50):.1f} | {pct(times[k:], 50):.1f} | {max(times):.1f} | {pct(times, 50):.1f} "
              f"| {sum(times) / 1000:.2f} | {k * cell:.0f} |")
    print("\n### A full pool's idle cost\n")
    print("| runtime | cells | working set per cell (MiB) |")
    print("|---|---|---|")
    for runtime, values in memory.items():
        print(f"| {runtime} | {len(values)} | {sum(values) / len(values) / 1048576:.1f} |")
    print(f"\nIdle CPU over 10 s with the full pool: host process {host_cpu:.2f} %, all cells {cells_cpu:.2f} % of one core.")
