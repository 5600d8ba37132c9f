"""The `upgrade` bench section (host_bench.py --only upgrade): what an in-place upgrade costs.

* the time of `PUT /api/v1/plugins/{id}` on an ACTIVE Node.js and Python example plugin (new container
  started beside the old, initialize + activate, switch, old one drained and removed), against a cold
  activation of the same plugin (POST activate from INACTIVE) on the same host;
* echo actions from 4 connections during repeated upgrades against the same callers without upgrades:
  median and p99 latency, and every answer that was not 200 (the goal: none lost).
Stdlib only; traffic stays on 127.0.0.1.
"""
import json
import os
import statistics
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLES = (("nodejs", "hello-node"), ("python", "hello-python"))
ECHO = json.dumps({"type": "echo", "payload": {"n": 1}})


def _manifest(folder, version):
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    manifest["version"] = version
    return manifest


def _pct(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def _callers(host, plugin, stop, latencies, failures, n=4):
    def run():
        call = host.new_connection()
        while not stop.is_set():
            t0 = time.perf_counter()
            status, body = call("POST", f"/api/v1/plugins/{plugin}/actions", ECHO)
            if status == 200 and body and body.get("success"):
                latencies.append((time.perf_counter() - t0) * 1000)
            else:
                failures.append(status)
    threads = [threading.Thread(target=run, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    return threads


def upgrade_section(args, hb, rounds=5):
    """Runs the section and prints its tables (hb: the host_bench module: Host, pack, expect, timed, stats)."""
    import tempfile
    workdir = tempfile.mkdtemp(prefix="lm-bench-upgrade-")
    host = hb.Host(args.jar, workdir)
    rows, traffic = [], []
    try:
        for runtime, plugin in EXAMPLES:
            folder = os.path.join(ROOT, "plugins", plugin)
            hb.expect(host.call("POST", "/api/v1/plugins", hb.pack(folder), "application/gzip"), 201, "install")
            hb.expect(host.call("POST", f"/api/v1/plugins/{plugin}/activate"), 200, "activate")
            cold, upgrade = [], []
            for i in range(rounds):
                hb.expect(host.call("POST", f"/api/v1/plugins/{plugin}/deactivate"), 200, "deactivate")
                cold.append(hb.timed(lambda: hb.expect(host.call("POST", f"/api/v1/plugins/{plugin}/activate"), 200,
                                                       "activate")))
                bundle = hb.pack(folder, _manifest(folder, f"1.1.{i}"))
                upgrade.append(hb.timed(lambda: hb.expect(host.call("PUT", f"/api/v1/plugins/{plugin}", bundle,
                                                                    "application/gzip"), 200, "upgrade")))
            rows.append((runtime, hb.stats(upgrade), hb.stats(cold)))

            for upgrading in (False, True):
                stop, latencies, failures = threading.Event(), [], []
                threads = _callers(host, plugin, stop, latencies, failures)
                time.sleep(1)
                for i in range(rounds):
                    if upgrading:
                        bundle = hb.pack(folder, _manifest(folder, f"1.2.{i}"))
                        hb.expect(host.call("PUT", f"/api/v1/plugins/{plugin}", bundle, "application/gzip"), 200,
                                  "upgrade")
                    else:
                        time.sleep(1)
                stop.set()
                for t in threads:
                    t.join()
                traffic.append((runtime, upgrading, len(latencies), statistics.median(latencies),
                                _pct(latencies, 0.99), len(failures), sorted(set(failures))))
            hb.expect(host.call("DELETE", f"/api/v1/plugins/{plugin}"), 204, "uninstall")
    finally:
        host.stop()
    print(f"\n### Upgrade in place ({rounds} rounds each; load average {os.getloadavg()[0]:.1f})\n")
    print("| runtime | PUT upgrade of an ACTIVE plugin, median (p90) ms | cold activation, median (p90) ms |")
    print("| --- | --- | --- |")
    for runtime, up, cold in rows:
        print(f"| {runtime} | {up[0]:.0f} ({up[1]:.0f}) | {cold[0]:.0f} ({cold[1]:.0f}) |")
    print("\n| runtime | upgrades during the run | echo answers | median ms | p99 ms | not 200 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for runtime, upgrading, n, med, p99, failed, codes in traffic:
        print(f"| {runtime} | {rounds if upgrading else 0} | {n} | {med:.1f} | {p99:.1f} | "
              f"{failed}{' ' + str(codes) if codes else ''} |")
