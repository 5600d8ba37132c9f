"""`make plugin` to a running, tested plugin, per runtime (`host_bench.py --only sdk`).

For each runtime (Node.js in JavaScript and in TypeScript, Python, WebAssembly) and each of `--sdk-runs`
rounds: `make plugin` (scaffold; for Node.js and Python it also runs the unit test against the harness's
fake ctx, for TypeScript tsc first), then through the host's REST API: install the folder, activate it
and call its `echo` action (checked). Wall time of each step and of the whole, medians (and the worst)
over the rounds. The runtime images must exist (`make images`): a first image build is not in these
figures (it is a one-off per machine). Stdlib only; traffic stays on 127.0.0.1.
"""
import io
import json
import os
import shutil
import statistics
import subprocess
import tarfile
import tempfile
import time

VARIANTS = [  # label, make arguments
    ("nodejs (JavaScript)", ["RUNTIME=nodejs"]),
    ("nodejs (TypeScript, tsc)", ["RUNTIME=nodejs", "LANG=typescript"]),
    ("python", ["RUNTIME=python"]),
    ("webassembly (WAT)", ["RUNTIME=webassembly"]),
]


def bundle(folder):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in sorted(os.listdir(folder)):
            tar.add(os.path.join(folder, name), arcname=name)
    return buf.getvalue()


def one_round(hb, host, root, workdir, label, make_args, n):
    plugin_id = f"sdk-bench-{len(label.split()[0])}-{abs(hash(label)) % 10000}-{n}"
    steps = {}
    t0 = time.perf_counter()
    done = subprocess.run(["make", "-s", "plugin", f"NAME={plugin_id}", f"DIR={workdir}"] + make_args,
                          cwd=root, capture_output=True, text=True)
    steps["scaffold + unit test"] = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"make plugin failed for {label}:\n{done.stdout}{done.stderr}")
    folder = os.path.join(workdir, plugin_id)
    t = time.perf_counter()
    hb.expect(host.call("POST", "/api/v1/plugins", bundle(folder), "application/gzip"), 201, "install " + plugin_id)
    steps["install"] = time.perf_counter() - t
    t = time.perf_counter()
    hb.expect(host.call("POST", f"/api/v1/plugins/{plugin_id}/activate"), 200, "activate " + plugin_id)
    steps["activate"] = time.perf_counter() - t
    t = time.perf_counter()
    status, body = host.call("POST", f"/api/v1/plugins/{plugin_id}/actions",
                             json.dumps({"type": "echo", "payload": {"n": n}}))
    steps["call"] = time.perf_counter() - t
    if status != 200 or not body.get("success") or body.get("result") != {"n": n}:
        raise SystemExit(f"echo of {plugin_id} answered {status} {body}")
    steps["total"] = time.perf_counter() - t0
    hb.expect(host.call("DELETE", f"/api/v1/plugins/{plugin_id}"), 204, "uninstall " + plugin_id)
    shutil.rmtree(folder, ignore_errors=True)
    return steps


def sdk_section(args, hb):
    """Runs the measurement with host_bench's Host and prints one Markdown table."""
    root = hb.ROOT
    runs = getattr(args, "sdk_runs", 3)
    workdir = tempfile.mkdtemp(prefix="lm-sdk-bench-")
    host = hb.Host(args.jar, workdir)
    results = []
    try:
        for label, make_args in VARIANTS:
            rounds = [one_round(hb, host, root, workdir, label, make_args, n) for n in range(runs)]
            results.append((label, rounds))
    finally:
        host.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    names = ["scaffold + unit test", "install", "activate", "call", "total"]
    print(f"`make plugin` -> running, tested plugin: {runs} rounds per runtime, medians (worst); images present\n")
    print("| runtime | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    for label, rounds in results:
        cells = []
        for name in names:
            values = [r[name] for r in rounds]
            cells.append(f"{statistics.median(values):.2f} s ({max(values):.2f} s)")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
