"""Hostile: try to raise privileges and make privileged system calls (os.* and libc through ctypes)."""
import ctypes
import errno
import os
import socket
import time

libc = ctypes.CDLL(None, use_errno=True)
SYS_KEYCTL = 250  # x86_64
SYS_SETTIMEOFDAY = 164  # x86_64
CLONE_NEWUSER = 0x10000000
CLONE_NEWNS = 0x00020000
PTRACE_SEIZE = 0x4206  # attaches without stopping the tracee; the tracer's exit detaches


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _os(fn):
    try:
        fn()
        return "ok"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc))


def _libc(fn):
    if fn() == -1:
        return errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))
    return "ok"


def _status(name):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split()[1]
    return None


def _ptrace_pid1():
    """A forked child tries to attach to PID 1 (the runtime, same uid); the result comes back through a pipe."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        res = libc.ptrace(PTRACE_SEIZE, 1, None, None)
        code = "ok" if res == 0 else errno.errorcode.get(ctypes.get_errno(), "?")
        os.write(w, code.encode())
        os._exit(0)
    os.close(w)
    code = os.read(r, 64).decode()
    os.close(r)
    os.waitpid(pid, 0)
    return code


def _settimeofday():
    timeval = (ctypes.c_long * 2)(int(time.time()), 0)
    return libc.syscall(SYS_SETTIMEOFDAY, ctypes.byref(timeval), None)


def _raw_socket():
    try:
        socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).close()
        return "ok"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc))


def execute(action, ctx):
    if action["type"] != "attack":
        return action.get("payload")
    return {
        "uid": os.getuid(),
        "noNewPrivs": _status("NoNewPrivs"),
        "seccomp": _status("Seccomp"),
        "capEff": _status("CapEff"),
        "capBnd": _status("CapBnd"),
        "setuid": _os(lambda: os.setuid(0)),
        "setgid": _os(lambda: os.setgid(0)),
        "setgroups": _os(lambda: os.setgroups([0])),
        "ptrace": _ptrace_pid1(),
        "mount": _libc(lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)),
        "unshareUser": _libc(lambda: libc.unshare(CLONE_NEWUSER)),
        "unshareMount": _libc(lambda: libc.unshare(CLONE_NEWNS)),
        "keyctl": _libc(lambda: libc.syscall(SYS_KEYCTL, 0, -3, 0)),
        "rawSocket": _raw_socket(),
        "clockSettime": _os(lambda: time.clock_settime(time.CLOCK_REALTIME, time.time())),
        "settimeofday": _libc(_settimeofday),
        "uidAfter": os.getuid(),
    }
