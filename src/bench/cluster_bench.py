"""`make bench`, cluster section (`--only cluster`): a plugin on a swarm worker against the single host (issue 16).

Same run, same packaged service, same plugin (plugins/hello-python), prewarm off on both (cluster mode has no
cells, so the single host is measured cold too): the single host (plugins are containers on this machine's
engine) and cluster mode against the three-engine test swarm of deploy/swarm-testbed.sh (plugins are services on
the workers, reached through each worker's node agent and the relay over mutual TLS). Measured through the REST
API, as a client sees it: `POST /activate` → ACTIVE (activate/deactivate cycles), an `echo` action and a plain
`GET /plugins/{id}` (the floor). Then, cluster mode only, failover: the worker running the plugin is cut off
(`swarm-testbed.sh cut`), and the time from the cut to the first echo served (200) from the other worker is
taken; the worker is mended and the swarm settles before the next run.

    python3 src/bench/host_bench.py --only cluster [--cluster-activations 10 --cluster-echoes 300 --cluster-failovers 3]
"""
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTBED = os.path.join(ROOT, "deploy", "swarm-testbed.sh")
HOST_IMAGE = "logomesh-host:cluster-it"
IMAGES = "logomesh-runtime-python:latest " + HOST_IMAGE
PLUGIN = "hello-python"
NO_CELLS = {"LOGOMESH_PREWARM_NODEJS_SIZE": "0", "LOGOMESH_PREWARM_PYTHON_SIZE": "0",
            "LOGOMESH_PREWARM_WEBASSEMBLY_SIZE": "0"}


def add_arguments(ap):
    ap.add_argument("--cluster-activations", type=int, default=10, help="activations per mode (cluster section)")
    ap.add_argument("--cluster-echoes", type=int, default=300, help="echo round trips per mode (cluster section)")
    ap.add_argument("--cluster-failovers", type=int, default=3, help="worker cuts (cluster section)")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def testbed(*args, extra_env=None):
    env = dict(os.environ)
    env.update(extra_env or {})
    out = subprocess.run(["bash", TESTBED] + list(args), env=env, check=True, capture_output=True, text=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line and line.split("=", 1)[0].isupper())


def measure(hb, host, activations, echoes):
    body = json.dumps({"type": "echo", "payload": {"n": 1, "s": "x" * 64}})
    hb.expect(host.call("POST", "/api/v1/plugins", hb.pack(os.path.join(ROOT, "plugins", PLUGIN)),
                        "application/gzip"), 201, "install")
    hb.expect(host.call("POST", f"/api/v1/plugins/{PLUGIN}/activate"), 200, "activate")
    hb.expect(host.call("POST", f"/api/v1/plugins/{PLUGIN}/deactivate"), 200, "deactivate")
    act = []
    for _ in range(activations):
        act.append(hb.timed(lambda: hb.expect(host.call("POST", f"/api/v1/plugins/{PLUGIN}/activate"), 200,
                                              "activate")))
        hb.expect(host.call("POST", f"/api/v1/plugins/{PLUGIN}/deactivate"), 200, "deactivate")
    hb.expect(host.call("POST", f"/api/v1/plugins/{PLUGIN}/activate"), 200, "activate")
    for _ in range(50):  # warm-up
        host.call("POST", f"/api/v1/plugins/{PLUGIN}/actions", body)
    echo, read = [], []
    for _ in range(echoes):
        read.append(hb.timed(lambda: hb.expect(host.call("GET", f"/api/v1/plugins/{PLUGIN}"), 200, "get")))
        echo.append(hb.timed(lambda: hb.expect(host.call("POST", f"/api/v1/plugins/{PLUGIN}/actions", body),
                                               200, "echo")))
    return act, echo, read


def node_of(env, service):
    out = subprocess.run(["docker", "-H", env["MANAGER_HOST"], "service", "ps", "--filter", "desired-state=running",
                          "--format", "{{.Node}} {{.CurrentState}}", service], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "Running" in line:
            return line.split()[0].replace("logomesh-swarm-", "")
    return None


def settled(env):
    out = subprocess.run(["docker", "-H", env["MANAGER_HOST"], "node", "ls", "--filter", "role=worker", "--format",
                          "{{.Status}}/{{.Availability}}"], capture_output=True, text=True).stdout
    return out.split().count("Ready/Active") == 2


def nodes_log(env, service):
    """What the nodes saw, appended to /tmp/cluster-bench-nodes.log: the service's tasks, the workers' containers
    and their agents' logs (a slow failover is read there and in the host's log)."""
    def out(*cmd):
        r = subprocess.run(list(cmd), capture_output=True, text=True)
        return r.stdout + r.stderr
    with open(os.path.join(tempfile.gettempdir(), "cluster-bench-nodes.log"), "a") as log:
        log.write(f"==== {time.strftime('%H:%M:%S')} service {service}\n")
        log.write(out("docker", "-H", env["MANAGER_HOST"], "service", "ps", "--no-trunc", service))
        for worker in ("WORKER1_HOST", "WORKER2_HOST"):
            log.write(f"== {worker}\n" + out("docker", "-H", env[worker], "ps", "-a", "--format",
                                              "{{.ID}} {{.Names}} {{.Status}}"))
            for name in out("docker", "-H", env[worker], "ps", "-aq", "--filter", "name=logomesh-agent").split():
                log.write(f"-- agent container {name}\n" + out("docker", "-H", env[worker], "logs", "--timestamps",
                                                                "--since", "60s", name))


def failover(host, env, runs):
    body = json.dumps({"type": "echo", "payload": 1})
    took = []
    for _ in range(runs):
        deadline = time.time() + 120
        while not settled(env) and time.time() < deadline:
            time.sleep(0.5)
        status, plugin = host.call("GET", f"/api/v1/plugins/{PLUGIN}")
        worker = node_of(env, plugin["containerId"])
        if worker is None:
            raise SystemExit("the plugin's service runs no task")
        start = time.perf_counter()
        testbed("cut", worker)
        served = None
        while time.perf_counter() - start < 120:
            try:
                status, _ = host.call("POST", f"/api/v1/plugins/{PLUGIN}/actions", body)
            except OSError:
                host.conn = None
                status = 0
            if status == 200 and node_of(env, host.call("GET", f"/api/v1/plugins/{PLUGIN}")[1]["containerId"]) \
                    not in (None, worker):
                served = (time.perf_counter() - start) * 1000
                break
            time.sleep(0.05)
        testbed("mend", worker)
        nodes_log(env, plugin["containerId"])
        if served is None:
            raise SystemExit(f"the plugin was not served again within 120 s of cutting {worker}")
        took.append(served)
    return took


def cluster_section(args, hb):
    subprocess.run(["bash", os.path.join(ROOT, "deploy", "build-image.sh")], check=True, capture_output=True,
                   env=dict(os.environ, LOGOMESH_HOST_IMAGE=HOST_IMAGE))
    env = testbed("up", extra_env={"IMAGES": IMAGES})
    node_root = tempfile.mkdtemp(prefix="lmb-", dir="/run")
    rows = {}
    took = []
    try:
        for mode in ("single", "swarm"):
            workdir = tempfile.mkdtemp(prefix="lm-bench-")
            extra = dict(NO_CELLS)
            if mode == "swarm":
                extra.update({"LOGOMESH_CLUSTER_MODE": "swarm", "LOGOMESH_CLUSTER_MANAGER": env["MANAGER_HOST"],
                              "LOGOMESH_CLUSTER_RELAY_ADDRESS": env["CONTROL_PLANE_ADDR"] + ":0",
                              "LOGOMESH_CLUSTER_NODE_ROOT": node_root,
                              "LOGOMESH_CLUSTER_AGENT_IMAGE": HOST_IMAGE})
            host = hb.Host(args.jar, workdir, extra_env=extra)
            try:
                rows[mode] = measure(hb, host, args.cluster_activations, args.cluster_echoes)
                if mode == "swarm":
                    took = failover(host, env, args.cluster_failovers)
            finally:
                host.stop()
                # the host's log outlives its throw-away folder: what a slow failover did is read there
                shutil.copy(os.path.join(workdir, "host.log"), os.path.join(tempfile.gettempdir(),
                                                                            f"cluster-bench-{mode}-host.log"))
                shutil.rmtree(workdir, ignore_errors=True)
    finally:
        testbed("down")
        shutil.rmtree(node_root, ignore_errors=True)

    print(f"cluster: {PLUGIN}, activations per mode: {args.cluster_activations}, echoes per mode:"
          f" {args.cluster_echoes}, prewarm off in both\n")
    print("| | single host: p50 | p99 | swarm worker: p50 | p99 | ratio of p50 (swarm / single) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for i, what in enumerate(("activation (POST /activate → ACTIVE)", "echo action", "plain GET /plugins/{id}")):
        one, sw = rows["single"][i], rows["swarm"][i]
        print(f"| {what} | {statistics.median(one):.2f} ms | {percentile(one, 99):.2f} ms |"
              f" {statistics.median(sw):.2f} ms | {percentile(sw, 99):.2f} ms |"
              f" {statistics.median(sw) / statistics.median(one):.2f}× |")
    echo_one = statistics.median(rows["single"][1]) - statistics.median(rows["single"][2])
    echo_sw = statistics.median(rows["swarm"][1]) - statistics.median(rows["swarm"][2])
    print(f"\necho added over a read (p50): single host {echo_one:+.3f} ms, swarm worker {echo_sw:+.3f} ms")
    if took:
        print(f"\nfailover (worker cut → first echo served from the other worker), {len(took)} runs:"
              f" median {statistics.median(took):.0f} ms, slowest {max(took):.0f} ms"
              f" ({', '.join(f'{t:.0f}' for t in took)} ms)")
