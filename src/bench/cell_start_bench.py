"""A prewarmed cell's own share of a start, without the host: `python3 src/bench/cell_start_bench.py [runtime ...] [-n N]`.

Starts a runtime image as a cell (LOGOMESH_CELL=1, the lockdown's user, read-only root, no network, the code and
IPC folders mounted read-only), plays the host on the cell's socket (ready, then `ping` unless --no-ping, as
CellPool does), lets the cell sit idle for a second, fills its code folder with the echo fixture and sends what
SessionLauncher sends: `load`, then `initialize` + `activate` in one write. Prints the median time from the first
byte sent to each answer. With --shim <dir>, that folder is mounted over the image's shim (to try a shim change
without rebuilding the image); with --image RUNTIME=IMAGE, another image (e.g. built from an earlier commit with
runtime-images/build.sh and NODE_IMAGE/PYTHON_IMAGE/WASM_IMAGE). Traffic: one Unix socket on this machine.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import struct
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "src/test/resources/plugins")
RUNTIMES = {
    "nodejs": ("echo-node", "index.js", "logomesh-runtime-nodejs:latest", "/opt/logomesh/shim"),
    "python": ("echo-python", "main.py", "logomesh-runtime-python:latest", "/usr/lib/python3/dist-packages/logomesh_shim"),
    "webassembly": ("echo-wasm", "plugin.wasm", "logomesh-runtime-wasm:latest", "/opt/logomesh/shim"),
}
NODE_OPTIONS = ("--permission --allow-fs-read=/opt/logomesh/shim/ --allow-fs-read=/plugin/ --allow-fs-read=/tmp/ "
                "--allow-fs-write=/tmp/ --allow-child-process --allow-worker")  # the cell's at securityLevel standard


def frame(message):
    body = json.dumps(message).encode()
    return struct.pack(">I", len(body)) + body


def read_frame(sock, buf):
    while True:
        if len(buf) >= 4:
            n = struct.unpack(">I", buf[:4])[0]
            if len(buf) >= 4 + n:
                return json.loads(buf[4:4 + n]), buf[4 + n:]
        data = sock.recv(65536)
        if not data:
            raise EOFError("the cell closed its socket")
        buf += data


def one_start(runtime, ping, shim, image=None):
    fixture, main, default_image, shim_path = RUNTIMES[runtime]
    image = image or default_image
    work = tempfile.mkdtemp(prefix="lm-cell-bench-")
    os.chmod(work, 0o755)
    ipc, code = os.path.join(work, "ipc"), os.path.join(work, "code")
    os.makedirs(ipc)
    os.makedirs(code)
    server = socket.socket(socket.AF_UNIX)
    server.bind(os.path.join(ipc, "host.sock"))
    os.chmod(os.path.join(ipc, "host.sock"), 0o777)
    server.listen(1)
    env = ["LOGOMESH_CELL=1", "LOGOMESH_SOCKET=/run/logomesh/host.sock", "LOGOMESH_MAX_FRAME=1048576", "HOME=/tmp"]
    if runtime == "nodejs":
        env += ["LOGOMESH_CELL_EGRESS=1", "NODE_OPTIONS=" + NODE_OPTIONS]
    cmd = ["docker", "run", "-d", "--rm", "--network", "none", "--user", "60000:60000", "--read-only",
           "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--tmpfs",
           "/tmp:rw,noexec,nosuid,nodev,size=16m", "-v", f"{code}:/plugin:ro", "-v", f"{ipc}:/run/logomesh:ro"]
    if shim:
        cmd += ["-v", f"{os.path.abspath(shim)}:{shim_path}:ro"]
    for e in env:
        cmd += ["-e", e]
    cid = subprocess.check_output(cmd + [image]).decode().strip()
    try:
        server.settimeout(30)
        sock, _ = server.accept()
        sock.settimeout(30)
        buf = b""
        _, buf = read_frame(sock, buf)  # ready
        if ping:
            sock.sendall(frame({"id": 99, "method": "ping", "params": {}}))
            _, buf = read_frame(sock, buf)
        time.sleep(1.0)
        for name in os.listdir(os.path.join(FIXTURES, fixture)):
            shutil.copy(os.path.join(FIXTURES, fixture, name), code)
        load = frame({"id": 1, "method": "load", "params": {"pluginId": "bench", "main": main,
                                                           "securityLevel": "standard", "maxMemoryMB": 128,
                                                           "maxExecutionMs": 2000, "maxConcurrency": 8}})
        start = (frame({"id": 2, "method": "initialize", "params": {"pluginId": "bench", "config": {}, "secrets": {}}})
                 + frame({"id": 3, "method": "activate", "params": {}}))
        t0 = time.perf_counter()
        sock.sendall(load)
        sock.sendall(start)
        answered = {}
        while len(answered) < 3:
            msg, buf = read_frame(sock, buf)
            if msg.get("id") in (1, 2, 3):
                if "error" in msg:
                    raise SystemExit(f"{runtime}: {msg}")
                answered[msg["id"]] = (time.perf_counter() - t0) * 1000.0
        sock.close()
        return answered
    finally:
        subprocess.run(["docker", "rm", "-f", cid], capture_output=True)
        server.close()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runtimes", nargs="*", default=list(RUNTIMES))
    ap.add_argument("-n", type=int, default=10, help="cells started per runtime")
    ap.add_argument("--no-ping", action="store_true", help="do not send the cell ping before it waits")
    ap.add_argument("--shim", help="a folder mounted over the image's shim")
    ap.add_argument("--image", action="append", default=[], metavar="RUNTIME=IMAGE",
                    help="another image for a runtime (e.g. one built from an earlier commit)")
    args = ap.parse_args()
    images = dict(kv.split("=", 1) for kv in args.image)
    print("| runtime | cells | load answered p50 ms | initialize | activate |")
    print("|---|---|---|---|---|")
    for runtime in args.runtimes:
        runs = [one_start(runtime, not args.no_ping, args.shim, images.get(runtime)) for _ in range(args.n)]
        med = [statistics.median(r[i] for r in runs) for i in (1, 2, 3)]
        print(f"| {runtime} | {args.n} | {med[0]:.2f} | {med[1]:.2f} | {med[2]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
