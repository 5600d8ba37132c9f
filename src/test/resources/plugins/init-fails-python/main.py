"""Test fixture: initialize prints a marker and fails; activate must then never run (the host sends both at once)."""
import time


def initialize(config, ctx):
    print("INITIALIZE-RAN", flush=True)
    time.sleep(0.05)  # activate is already queued in the runtime by now
    raise RuntimeError("init boom")


def activate(ctx):
    print("ACTIVATE-RAN", flush=True)


def deactivate(ctx):
    pass


def execute(action, ctx):
    return None
