"""Test fixture: defines activate and deactivate but no execute, so initialize fails with bad_plugin."""


def activate(ctx):
    pass


def deactivate(ctx):
    pass
