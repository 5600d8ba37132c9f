"""Hostile: runs normally, but never answers deactivate (spins in it)."""


def activate(ctx):
    pass


def deactivate(ctx):
    while True:
        pass


def execute(action, ctx):
    return action["payload"]
