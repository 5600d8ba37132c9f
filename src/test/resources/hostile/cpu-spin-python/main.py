"""Hostile: an action that spins the CPU forever (an async def, so it blocks the shim's event loop too)."""


def activate(ctx):
    pass


def deactivate(ctx):
    pass


async def execute(action, ctx):
    if action["type"] != "attack":
        return action.get("payload")
    while True:
        pass
