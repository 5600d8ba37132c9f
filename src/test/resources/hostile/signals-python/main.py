"""Hostile: kill -9 -1 (every process it may signal) and signals to PID 1, from the runtime and from a child."""
import os
import signal
import time


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _attempt(fn):
    try:
        fn()
        return "ok"
    except OSError as exc:
        return type(exc).__name__


def _attack():
    victim = os.fork()
    if victim == 0:
        time.sleep(600)
        os._exit(0)
    time.sleep(0.2)
    # a child runs kill -9 -1, then signals PID 1 (the runtime); init of a pid namespace ignores what it has no handler for
    killer = os.fork()
    if killer == 0:
        for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGSTOP):
            try:
                os.kill(1, sig)
            except OSError:
                pass
        os.kill(-1, signal.SIGKILL)  # kills every process it may signal, itself included, never PID 1
        os._exit(0)
    _, killer_status = os.waitpid(killer, 0)
    _, victim_status = os.waitpid(victim, 0)
    kill_all = _attempt(lambda: os.kill(-1, signal.SIGKILL))
    self_kill = _attempt(lambda: os.kill(1, signal.SIGKILL))
    time.sleep(0.2)
    return {
        "killerSignal": os.WTERMSIG(killer_status) if os.WIFSIGNALED(killer_status) else None,
        "victimSignal": os.WTERMSIG(victim_status) if os.WIFSIGNALED(victim_status) else None,
        "killAll": kill_all,
        "selfKill": self_kill,
        "alive": True,
        "pid": os.getpid(),
    }


def execute(action, ctx):
    return _attack() if action["type"] == "attack" else action.get("payload")
