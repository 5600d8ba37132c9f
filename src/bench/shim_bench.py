"""`make bench`, shim section: the Python shim alone, its CPU per call (issue 18).

The shim of this tree (runtime-images/python) runs as a plain process on this machine, served by a driver in
this process that plays the host on a Unix socket: `initialize`, `activate`, then `execute` of the load-python
plugin's `echo` (src/bench/plugins/load-python) with K calls in flight. The shim's CPU comes from the kernel
(/proc/<pid>/stat, user + system); the driver's own CPU is not counted. No container, no host, no network.

`--shim-compare DIR` adds the shim of another checkout (an older commit's worktree) to the same rounds.

Baseline, same run, rounds interleaved: the same shim with the plain `def` run on the event loop itself instead
of in the worker pool (a copy of the shim with `fast_request` patched; not a valid shim, since a blocking call
would stop the loop, but the floor of what the pool's hand-offs can cost).
"""
import json
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN = os.path.join(ROOT, "src/bench/plugins/load-python")
ACTION = {"type": "echo", "payload": {"n": 1, "s": "x" * 64}}
POOL_CALL = """        self.pool.submit(fn, args if count is None else args[:count],
                         lambda ok, value: self._answer(request_id, ok, value))
        return True"""
INLINE_CALL = """        try:
            ok, value = True, fn(*(args if count is None else args[:count]))
        except BaseException as exc:  # noqa: BLE001
            ok, value = False, exc
        self._answer(request_id, ok, value)
        return True"""


class Driver:
    """Plays the host for one shim process started from ``shim_parent`` (the folder holding ``shim/``)."""

    def __init__(self, shim_parent, workdir):
        path = os.path.join(workdir, "host.sock")
        if os.path.exists(path):
            os.unlink(path)
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen(1)
        env = {"PATH": os.environ["PATH"], "LOGOMESH_SOCKET": path, "PYTHONPATH": shim_parent,
               "LOGOMESH_PLUGIN_ID": "shim-bench", "LOGOMESH_MAIN": "main.py", "LOGOMESH_SECURITY_LEVEL": "minimal",
               "LOGOMESH_MAX_EXECUTION_MS": "2000", "LOGOMESH_MAX_MEMORY_MB": "128"}
        code = f"import shim.plugin as p; p.PLUGIN_DIR = {PLUGIN!r}; import shim.main as m; m.main()"
        self.proc = subprocess.Popen([sys.executable, "-c", code], env=env)
        server.settimeout(30)
        self.sock, _ = server.accept()
        server.close()
        self.buf = bytearray()
        self.next_id = 1
        if self.recv().get("method") != "ready":
            sys.exit("the shim did not say ready")
        for method in ("initialize", "activate"):
            answer = self.call(method, {"config": {}} if method == "initialize" else {})
            if "error" in answer:
                sys.exit(f"{method} failed: {answer['error']}")

    def send(self, messages):
        self.sock.sendall(b"".join(struct.pack(">I", len(b)) + b for b in (json.dumps(m).encode() for m in messages)))

    def recv(self):
        while True:
            if len(self.buf) >= 4:
                (n,) = struct.unpack_from(">I", self.buf)
                if len(self.buf) >= 4 + n:
                    message = json.loads(bytes(self.buf[4:4 + n]))
                    del self.buf[:4 + n]
                    return message
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                sys.exit("the shim closed its socket")
            self.buf += chunk

    def call(self, method, params):
        request_id = self.take_id()
        self.send([{"id": request_id, "method": method, "params": params}])
        while True:
            message = self.recv()
            if message.get("id") == request_id:
                return message

    def take_id(self):
        self.next_id += 1
        return self.next_id

    def execute(self):
        return {"id": self.take_id(), "method": "execute", "params": {"action": dict(ACTION, id=str(self.next_id))}}

    def echoes(self, n, in_flight):
        """n echo calls, in_flight outstanding at a time; every answer must be a success."""
        first = min(in_flight, n)
        self.send([self.execute() for _ in range(first)])
        sent, answered = first, 0
        while answered < n:
            message = self.recv()
            if "id" not in message:
                continue  # a notification (log)
            answered += 1
            if "error" in message:
                sys.exit(f"echo failed: {message['error']}")
            if sent < n:
                self.send([self.execute()])
                sent += 1

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self):
        self.proc.kill()
        self.proc.wait()
        self.sock.close()


def measure(shim_parent, workdir, in_flight, calls):
    """(µs of shim CPU per call, calls per second) for one fresh shim process, after 2,000 uncounted calls."""
    driver = Driver(shim_parent, workdir)
    try:
        driver.echoes(2000, in_flight)
        c0, t0 = driver.cpu_seconds(), time.perf_counter()
        driver.echoes(calls, in_flight)
        c1, t1 = driver.cpu_seconds(), time.perf_counter()
        return (c1 - c0) * 1e6 / calls, calls / (t1 - t0)
    finally:
        driver.close()


def inline_copy(workdir):
    """A copy of the shim whose plain-def actions run on the loop (the baseline); None if the code moved."""
    target = os.path.join(workdir, "inline")
    shutil.copytree(os.path.join(ROOT, "runtime-images/python/shim"), os.path.join(target, "shim"))
    plugin = os.path.join(target, "shim", "plugin.py")
    with open(plugin, encoding="utf-8") as f:
        source = f.read()
    if POOL_CALL not in source:
        return None
    with open(plugin, "w", encoding="utf-8") as f:
        f.write(source.replace(POOL_CALL, INLINE_CALL))
    return target


def shim_section(args, hb=None):
    rounds, calls = args.shim_rounds, args.shim_calls
    workdir = tempfile.mkdtemp(prefix="lm-bench-shim-")
    try:
        inline = inline_copy(workdir)
        shims = [("worker pool (the shim)", os.path.join(ROOT, "runtime-images/python"))]
        if inline is not None:
            shims.append(("on the loop (baseline)", inline))
        if args.shim_compare:
            shims.append((f"{args.shim_compare} (compared)", os.path.join(args.shim_compare, "runtime-images/python")))
        results = {}
        for in_flight in (1, 8):
            for _ in range(rounds):
                for name, parent in shims:
                    results.setdefault((name, in_flight), []).append(measure(parent, workdir, in_flight, calls))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n### Python shim alone: CPU per `echo` call ({calls} calls per round, {rounds} rounds per row, "
          f"interleaved; `python3 src/bench/host_bench.py --only shim`; load average {os.getloadavg()[0]:.1f})\n")
    print("| shim | in flight | CPU per call, µs: median (each round) | calls/s: median | CPU against the baseline |")
    print("| --- | --- | --- | --- | --- |")
    for in_flight in (1, 8):
        base = results.get(("on the loop (baseline)", in_flight))
        base_cpu = statistics.median(r[0] for r in base) if base else None
        for name, _ in shims:
            runs = results[(name, in_flight)]
            cpu = statistics.median(r[0] for r in runs)
            ratio = f"{cpu / base_cpu:.2f}×" if base_cpu else "—"
            print(f"| {name} | {in_flight} | **{cpu:.1f}** ({' / '.join(f'{r[0]:.0f}' for r in runs)}) | "
                  f"{statistics.median(r[1] for r in runs):.0f} | {ratio} |")
    if len(shims) == 1:
        print("\n(baseline skipped: plugin.py's fast_request no longer has the call this bench patches)")


def add_arguments(ap):
    ap.add_argument("--shim-rounds", type=int, default=5, help="rounds per row (shim section)")
    ap.add_argument("--shim-calls", type=int, default=15000, help="calls per round (shim section)")
    ap.add_argument("--shim-compare", help="another checkout whose Python shim is measured in the same rounds "
                                           "(e.g. a worktree of an older commit)")
