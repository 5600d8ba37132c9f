"""Hostile: allocate (and touch) memory in the main process until the kernel's OOM killer ends it."""
held = []


def activate(ctx):
    pass


def deactivate(ctx):
    pass


def execute(action, ctx):
    if action["type"] != "attack":
        return action.get("payload")
    for _ in range(100000):
        held.append(bytearray(b"\x01") * (1024 * 1024))
    return {"survived": True, "heldMb": len(held)}
