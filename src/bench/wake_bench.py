"""What waking an idle process costs on this machine: `host_bench.py --only wake`.

A 1-byte round trip between two processes over a socketpair, back to back and after idle gaps of 1, 10, 100
and 300 ms. Every hop of the host's activation and action paths (HTTP worker, IPC writer, the runtime's loop
and worker, the host's reader) is such a wake-up; on a virtual machine an idle vCPU takes far longer to wake
than a busy one, which sets a floor under any latency measured after the machine was idle. No traffic leaves
the process pair.
"""
import os
import socket
import time

GAPS = (0.0, 0.001, 0.01, 0.1, 0.3)
ROUNDS = 40


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def wake_section(args, hb):
    """Prints the round-trip table (hb: the host_bench module, unused: no host is started)."""
    a, b = socket.socketpair()
    child = os.fork()
    if child == 0:
        a.close()
        while True:
            data = b.recv(1)
            if not data:
                os._exit(0)
            b.send(data)
    b.close()
    rows = []
    try:
        for gap in GAPS:
            samples = []
            for _ in range(ROUNDS):
                time.sleep(gap)
                t0 = time.perf_counter()
                a.send(b"x")
                a.recv(1)
                samples.append((time.perf_counter() - t0) * 1e6)
            rows.append((gap, pct(samples, 50), pct(samples, 90), pct(samples, 99)))
    finally:
        a.close()
        os.waitpid(child, 0)
    print()
    print(f"### Waking an idle process: 1-byte round trip over a socketpair, {ROUNDS} per gap")
    print()
    print("| idle before each round trip | p50 µs | p90 µs | p99 µs | p50 / back-to-back p50 |")
    print("| --- | --- | --- | --- | --- |")
    base = rows[0][1]
    for gap, p50, p90, p99 in rows:
        print(f"| {gap * 1000:.0f} ms | {p50:.0f} | {p90:.0f} | {p99:.0f} | {p50 / base:.1f}x |")
