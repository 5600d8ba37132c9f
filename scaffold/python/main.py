"""__ID__: a LogoMesh plugin (Python). The host calls these functions through the runtime shim;
``ctx`` is how the plugin talks back: ctx.log(...), ctx.send_message(target, message), ctx.on(type, handler),
ctx.request_resource(type, amount), ctx.get_resource_usage(), ctx.request_permission(permission).

Plain ``def`` functions run in a worker thread; ``async def`` ones on the event loop.
"""


def initialize(config, ctx):
    """Optional: called once with the manifest's ``config``."""
    ctx.log(f"initialized with {config}")


def activate(ctx):
    ctx.log("active")


def execute(action, ctx):
    """action = {id, type, payload}; the return value is the action's result (any JSON)."""
    if action["type"] == "echo":
        return action.get("payload")
    # a raised error becomes {"success": false, "error": "<message>"}
    raise ValueError(f"unknown action type '{action['type']}' (try echo)")


def deactivate(ctx):
    ctx.log("inactive")
