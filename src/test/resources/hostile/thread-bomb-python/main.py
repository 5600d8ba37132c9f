"""Hostile: start threads until the container's pids limit (threads count) refuses."""
import threading
import time

threads = []


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def _bomb():
    errors = []
    for _ in range(500):
        try:
            t = threading.Thread(target=time.sleep, args=(600,), daemon=True)
            t.start()
        except RuntimeError as exc:
            errors.append(f"RuntimeError: {exc}")
            break
        threads.append(t)
    return {"spawned": len(threads), "errors": errors}


def execute(action, ctx):
    return _bomb() if action["type"] == "attack" else action.get("payload")
