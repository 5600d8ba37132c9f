"""Where the host's Java time goes under the load section's traffic (a profile, not a benchmark: not in `make bench`).

Starts the packaged service as the load section does (host_bench.Host, the 2 Node.js + 2 Python load plugins at
securityLevel standard, auditLevel detailed), warms it up until the JIT is done, then records a JFR profile
(`settings=profile`, via jcmd) during each of: plain reads at 32 connections, the echo at 32 connections, and the
overload's `spin` at 200 connections on one Node.js plugin. For each it prints the rate and CPU per answer (as the
load section measures them), the samples per event-loop/reader/writer thread, and the project's methods by
inclusive samples per 1,000 answers, so rows compare across runs of different rates. JFR samples Java frames only:
time in the kernel (socket calls, wake-ups) is not in it.

    python3 src/bench/profile_host.py [--jar target/quarkus-app/quarkus-run.jar] [--seconds 15] [--keep DIR]
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import tempfile

import host_bench as hb
import load_bench as lb


def jfr_tool(name):
    return os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", name)


def samples(recording):
    """(sample count, inclusive count per method, count per thread) of a JFR file's execution samples."""
    out = subprocess.run([jfr_tool("jfr"), "print", "--json", "--stack-depth", "300", "--events",
                          "jdk.ExecutionSample", recording], capture_output=True, text=True, check=True)
    events = json.loads(out.stdout)["recording"]["events"]
    inclusive, threads, n = collections.Counter(), collections.Counter(), 0
    for event in events:
        stack = event["values"].get("stackTrace")
        if not stack:
            continue
        n += 1
        thread = event["values"].get("sampledThread") or {}
        threads[(thread.get("javaName") or thread.get("osName") or "?").rstrip("0123456789-")] += 1
        seen = set()
        for frame in stack["frames"]:
            method = frame["method"]
            name = method["type"]["name"].replace("/", ".") + "." + method["name"]
            if name not in seen:
                seen.add(name)
                inclusive[name] += 1
    return n, inclusive, threads


def profile(host, workdir, keep, name, paths, body, seconds, connections):
    recording = os.path.join(keep, f"{name}.jfr")
    jcmd = [jfr_tool("jcmd"), str(host.proc.pid)]
    subprocess.run(jcmd + ["JFR.start", "name=lm", "settings=profile", f"filename={recording}"],
                   check=True, capture_output=True)
    try:
        r = lb.wrk(host, workdir, paths, seconds, connections, body, cpu_of=lb.MIXED)
    finally:
        subprocess.run(jcmd + ["JFR.stop", "name=lm"], check=True, capture_output=True)
    n, inclusive, threads = samples(recording)
    per_thousand = 1000.0 / max(1, r["requests"])
    cpu = r["cpu_us"]
    print(f"\n### {name}: {r['rate']:.0f} answers/s at {connections} connections ({lb.statuses(r['status'])}),"
          f" CPU per answer host {cpu['host']:.0f} / plugins {cpu['plugins']:.0f} / wrk {cpu['wrk']:.0f} µs;"
          f" {n} samples, {n * per_thousand:.1f} per 1,000 answers\n")
    print("| thread | share of the samples |")
    print("| --- | --- |")
    for thread, count in threads.most_common(6):
        print(f"| {thread} | {100.0 * count / n:.1f} % |")
    print("\n| method (the project's, inclusive) | samples per 1,000 answers | share |")
    print("| --- | --- | --- |")
    ours = [(count, method) for method, count in inclusive.items()
            if method.startswith("io.logomesh.") and "$$Lambda" not in method and "_Subclass" not in method
            and "_ClientProxy" not in method and "$quarkusrestinvoker$" not in method]
    for count, method in sorted(ours, reverse=True)[:20]:
        print(f"| `{method[len('io.logomesh.host.'):]}` | {count * per_thousand:.2f} | {100.0 * count / n:.1f} % |")
    print(f"\n(recording: {recording})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default=os.path.join(hb.ROOT, "target/quarkus-app/quarkus-run.jar"))
    ap.add_argument("--seconds", type=int, default=15, help="seconds of traffic per profile")
    ap.add_argument("--keep", help="folder for the .jfr recordings (default: a temporary one, removed)")
    args = ap.parse_args()
    lb.ensure_wrk()
    workdir = tempfile.mkdtemp(prefix="lm-profile-")
    keep = args.keep or os.path.join(workdir, "jfr")
    os.makedirs(keep, exist_ok=True)
    host = hb.Host(args.jar, workdir)
    host.token = hb.TOKEN
    ids = []
    try:
        lb.install_all(host, hb.pack, hb.expect, ids, with_wasm=False)
        warmed = lb.warm_up(host, workdir, [
            dict(paths=lb.read_paths(lb.MIXED), seconds=4, connections=32),
            dict(paths=lb.action_paths(lb.MIXED), seconds=4, connections=32, body=lb.ECHO),
            dict(paths=lb.action_paths([lb.OVERLOADED]), seconds=4, connections=200, body=lb.SPIN)], 30)
        print(f"(warm-up {warmed[0]:.0f} s in {warmed[1]} rounds; compilers {100 * warmed[2]:.1f} % of a core in the last)")
        profile(host, workdir, keep, "read", lb.read_paths(lb.MIXED), None, args.seconds, 32)
        profile(host, workdir, keep, "echo", lb.action_paths(lb.MIXED), lb.ECHO, args.seconds, 32)
        profile(host, workdir, keep, "spin-overload", lb.action_paths([lb.OVERLOADED]), lb.SPIN, args.seconds, 200)
    finally:
        for pid in ids:
            try:
                host.call("DELETE", f"/api/v1/plugins/{pid}")
            except Exception:  # noqa: BLE001 - best effort on the way out
                host.conn = None
        host.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
