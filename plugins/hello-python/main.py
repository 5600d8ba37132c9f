"""Example LogoMesh plugin (Python). The host calls these functions through the runtime shim;
``ctx`` is how the plugin talks back (logs, messages, resources). See README.md.

Plain ``def`` functions run in the shim's worker pool (ctx calls block and return values);
``async def`` functions run on the event loop (ctx calls return awaitables).
"""
import time

config = {}


def initialize(cfg, ctx):
    """Optional: called once with the manifest's ``config``."""
    config.update(cfg)
    ctx.log(f'initialized with greeting "{cfg.get("greeting")}"')


def activate(ctx):
    # other plugins reach this with ctx.sendMessage('hello-python', {type: 'hello', data: 'Ada'})
    @ctx.on("hello")
    def hello(message, sender):
        return {"reply": f"{config.get('greeting', 'Hello')}, {message['data']} (from {sender})"}

    # hello-node (or any plugin that declares messaging:hello-python) asks: {type: 'greet', data: {name}}
    @ctx.on("greet")
    def greet(message, sender):
        name = (message.get("data") or {}).get("name", "world")
        return {"greeting": f"{config.get('greeting', 'Hello')}, {name}{config.get('punctuation', '!')}",
                "from": ctx.plugin_id}

    ctx.log("active")


def execute(action, ctx):
    payload = action.get("payload") or {}
    kind = action["type"]
    if kind == "echo":
        return action.get("payload")
    if kind == "greet":
        name = payload.get("name", "world")
        return {"greeting": f"{config.get('greeting', 'Hello')}, {name}{config.get('punctuation', '!')}"}
    if kind == "ask":
        # through the host to the Node.js example (the manifest declares messaging:hello-node);
        # this plain def runs in a worker thread, so the call blocks and returns the reply
        target = payload.get("target", "hello-node")
        return ctx.send_message(target, {"type": "greet", "data": {"name": payload.get("name", "world")}})
    if kind == "fail":
        reason = payload.get("reason")
        raise ValueError("fail was asked for" + (f": {reason}" if reason else ""))
    if kind == "sleep":
        ms = payload.get("ms", 0)
        time.sleep(float(ms) / 1000)  # blocks only this worker thread, not the shim
        return {"slept": ms}
    raise ValueError(f"unknown action type '{kind}' (try echo, greet, ask, fail, sleep)")


def deactivate(ctx):
    ctx.log("inactive")


def dispose(ctx):
    """Optional: called before the plugin is uninstalled."""
    ctx.log("disposed")
