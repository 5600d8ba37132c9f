"""Hostile: never answers activate (spins in it, holding the GIL as much as it can)."""


def activate(ctx):
    while True:
        pass


def deactivate(ctx):
    pass


def execute(action, ctx):
    return action["payload"]
