"""`make bench`, restart section (`--only restart`): self-healing after an OOM kill (issue 17).

The packaged service (host_bench.Host on 127.0.0.1) with src/bench/plugins/restart-node installed
(restartPolicy on-failure, maxMemoryMB 48). Each run: an `alloc` action fills memory until the kernel
OOM-kills the runtime (the action answers 503 restarting); from that answer the bench sends `echo` every 10 ms
(answered at once 503 `restarting` meanwhile) until one is served (200). Measured: the time from the
kill's answer to the first 200, median and p99 (with few runs p99 is about the slowest), and the same minus the
back-off the host reports for that restart (`restart.attempts[-1].delayMs`): what the restart itself
costs. The back-off is pinned (initial = cap = --restart-backoff) and the crash-loop budget raised, so
every run waits the same; `--restart-env KEY=VALUE` (repeatable) passes settings to the host, e.g. the
prewarm pool's, and `--restart-label` names the row, so one can run with and without prewarm:

    python3 src/bench/host_bench.py --only restart --restart-label "no prewarm"
    python3 src/bench/host_bench.py --only restart --restart-label prewarm --restart-env LOGOMESH_...=...
"""
import json
import os
import shutil
import statistics
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN = "restart-node"
ECHO = json.dumps({"type": "echo", "payload": 1})


def add_arguments(ap):
    ap.add_argument("--restarts", type=int, default=10, help="OOM kills measured (restart section)")
    ap.add_argument("--restart-backoff", default="1s", help="pinned back-off of every restart")
    ap.add_argument("--restart-env", action="append", default=[], metavar="KEY=VALUE",
                    help="extra host setting for the restart section (repeatable)")
    ap.add_argument("--restart-label", default="default settings", help="names the row")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def restart_section(args, hb):
    workdir = tempfile.mkdtemp(prefix="lm-bench-restart-")
    env = {"LOGOMESH_RESTART_POLICY": "on-failure", "LOGOMESH_RESTART_INITIAL_BACKOFF": args.restart_backoff,
           "LOGOMESH_RESTART_MAX_BACKOFF": args.restart_backoff,
           "LOGOMESH_RESTART_MAX_RESTARTS": str(args.restarts + 10)}
    for kv in args.restart_env:
        key, _, value = kv.partition("=")
        env[key] = value
    host = hb.Host(args.jar, workdir, extra_env=env)
    totals, costs, refused = [], [], 0
    try:
        hb.expect(host.call("POST", "/api/v1/plugins", hb.pack(os.path.join(ROOT, "src/bench/plugins", PLUGIN)),
                            "application/gzip"), 201, "install " + PLUGIN)
        hb.expect(host.call("POST", f"/api/v1/plugins/{PLUGIN}/activate"), 200, "activate")
        for _ in range(args.restarts):
            echo = host.new_connection()
            hb.expect(echo("POST", f"/api/v1/plugins/{PLUGIN}/actions", ECHO), 200, "echo before the kill")
            status, _ = host.new_connection()("POST", f"/api/v1/plugins/{PLUGIN}/actions",
                                              json.dumps({"type": "alloc"}))
            t0 = time.perf_counter()
            if status != 503:
                raise SystemExit(f"alloc answered {status}, not 503 restarting (no OOM kill?)")
            while True:
                status, _ = echo("POST", f"/api/v1/plugins/{PLUGIN}/actions", ECHO)
                if status == 200:
                    break
                if status != 503:
                    raise SystemExit(f"an action during the restart answered {status}")
                refused += 1
                if time.perf_counter() - t0 > 120:
                    raise SystemExit("the plugin did not come back within 120 s")
                time.sleep(0.01)
            total = (time.perf_counter() - t0) * 1000
            _, snap = host.call("GET", f"/api/v1/plugins/{PLUGIN}")
            attempts = snap["restart"]["attempts"]
            if not attempts or attempts[-1]["reason"] != "oom":
                raise SystemExit(f"the last restart was not after an OOM kill: {attempts[-1:]}")
            totals.append(total)
            costs.append(total - attempts[-1]["delayMs"])
    finally:
        host.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"OOM kill -> next action served, {args.restarts} runs, back-off pinned at {args.restart_backoff}"
          f" ({args.restart_label})\n")
    print("| settings | runs | kill -> served median | p99 | minus back-off median | p99 |"
          " 503 answers during restarts |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {args.restart_label} | {len(totals)} | {statistics.median(totals):.0f} ms |"
          f" {percentile(totals, 99):.0f} ms | {statistics.median(costs):.0f} ms | {percentile(costs, 99):.0f} ms |"
          f" {refused} |")
    print()
