"""The Python harness records what a plugin does and answers as the host would (SdkHarnessTest runs this:
``python3 -m unittest discover -s sdk/python/tests``)."""
import os
import sys
import types
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from logomesh_testing import Harness, HostError  # noqa: E402

seen = []


def make_plugin():
    m = types.ModuleType("plugin_under_test")

    def initialize(config, ctx):
        ctx.log.debug("init", config["mode"])

    def activate(ctx):
        ctx.on("ping", lambda msg, sender: {"pong": msg["data"], "from": sender})

        @ctx.on("news")
        def news(msg, sender):
            seen.append(msg["data"])

        def broken(msg, sender):
            raise RuntimeError("second handler broke")
        ctx.on("news", broken)
        ctx.on("config", lambda msg, sender: seen.append(("config", msg["data"]["mode"], ctx.secrets["KEY"])))

    def deactivate(ctx):
        ctx.log("bye")

    async def dispose(ctx):
        await ctx.audit_log({"disposed": True})

    def execute(action, ctx):
        t = action["type"]
        if t == "ask":
            return ctx.send_message("weather", {"type": "forecast", "data": action["payload"]})
        if t == "ask-missing":
            return ctx.send_message("nobody", {"type": "x", "data": None})
        if t == "emit":
            return ctx.emit("orders.created", {"id": 7})
        if t == "grant":
            grant = ctx.request_resource("memory", 32)
            ctx.release_resource(grant["grantId"])
            return grant
        if t == "perm":
            return ctx.request_permission(action["payload"])
        if t == "usage":
            return ctx.get_resource_usage()
        if t == "secret":
            return ctx.secrets.get("KEY")
        if t == "set":
            return {1, 2}
        raise ValueError(f"unknown action type '{t}'")

    async def execute_async(action, ctx):
        return await ctx.sendMessage("weather", {"type": "forecast", "data": action["payload"]})

    m.initialize, m.activate, m.deactivate, m.dispose, m.execute = initialize, activate, deactivate, dispose, execute
    m.execute_async = execute_async
    return m


class HarnessTest(unittest.TestCase):
    def test_lifecycle_logs_config_and_secrets(self):
        h = Harness(make_plugin(), plugin_id="p1", config={"mode": "fast"}, secrets={"KEY": "s3"})
        h.start()
        self.assertEqual(h.logs, [("debug", "init fast")])
        self.assertEqual(h.ctx.plugin_id, "p1")
        self.assertEqual(h.execute("secret"), "s3")
        with self.assertRaises(TypeError):
            h.ctx.secrets["KEY"] = "x"  # read-only
        h.set_config({"mode": "slow"}, {"KEY": "s4"})
        self.assertEqual(seen.pop(), ("config", "slow", "s4"))
        self.assertEqual(h.ctx.config["mode"], "slow")
        h.deactivate()
        h.dispose()  # async def: its host calls are awaitables
        self.assertEqual(h.logs[-1], ("info", "bye"))
        self.assertEqual(h.calls_of("audit_log"), [{"event": {"disposed": True}}])

    def test_send_message_scripted_replies_and_host_errors(self):
        h = Harness(make_plugin(), config={"mode": "x"},
                    replies={"weather": {"forecast": lambda msg, target: {"sunny": msg["data"]["city"] == "Oslo"}}})
        h.start()
        self.assertEqual(h.execute("ask", {"city": "Oslo"}), {"sunny": True})
        self.assertEqual(h.sent, [("weather", {"type": "forecast", "data": {"city": "Oslo"}})])
        with self.assertRaises(HostError) as missing:
            h.execute("ask-missing")
        self.assertEqual(missing.exception.code, "not_found")

        def slow(msg, target):
            raise HostError("timeout", "too slow")
        h.replies["weather"]["forecast"] = slow
        with self.assertRaises(HostError) as timeout:
            h.execute("ask", {})
        self.assertEqual(timeout.exception.code, "timeout")
        del h.replies["weather"]["forecast"]
        with self.assertRaises(HostError) as no_handler:
            h.execute("ask", {})
        self.assertEqual(no_handler.exception.code, "no_handler")

    def test_async_code_gets_awaitables(self):
        module = make_plugin()
        module.execute = module.execute_async
        h = Harness(module, config={"mode": "x"}, replies={"weather": {"forecast": {"sunny": False}}})
        h.start()
        self.assertEqual(h.execute("ask", {}), {"sunny": False})

    def test_emit_grants_and_permissions_follow_the_permissions_given(self):
        denied = Harness(make_plugin(), config={"mode": "x"})
        denied.start()
        for action in ("emit", "grant"):
            with self.assertRaises(HostError) as err:
                denied.execute(action)
            self.assertEqual(err.exception.code, "denied")
        self.assertEqual(denied.calls_of("emit"), [{"topic": "orders.created", "data": {"id": 7}}])

        h = Harness(make_plugin(), config={"mode": "x"}, permissions=["events:publish:orders.*", "resources:grant"],
                    permission_answers={"network": "granted"})
        h.start()
        self.assertEqual(h.execute("emit"), {"delivered": 0})
        grant = h.execute("grant")
        self.assertEqual(grant["type"], "memory")
        self.assertEqual(h.calls_of("release_resource"), [{"grantId": grant["grantId"]}])
        self.assertEqual(h.execute("perm", "network")["status"], "granted")
        self.assertIn("network", h.permissions)
        self.assertEqual(h.execute("perm", "filesystem")["status"], "pending")
        self.assertEqual(h.execute("usage")["pluginId"], "test-plugin")

    def test_messages_events_and_results_as_the_host_delivers_them(self):
        h = Harness(make_plugin(), config={"mode": "x"})
        h.start()
        self.assertEqual(h.message("ping", 3, "peer"), {"pong": 3, "from": "peer"})
        with self.assertRaises(HostError):
            h.message("nope")
        h.event("news", "hi")
        self.assertEqual(seen.pop(), "hi")
        self.assertIn("event handler for 'news' failed: RuntimeError: second handler broke", h.logs[-1][1])
        with self.assertRaises(HostError) as bad:
            h.execute("set")
        self.assertEqual(bad.exception.code, "bad_result")
        with self.assertRaisesRegex(HostError, "does not define deactivate, execute"):
            Harness(types.SimpleNamespace(activate=lambda: None))


if __name__ == "__main__":
    unittest.main()
