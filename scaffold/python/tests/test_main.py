"""Unit test, in-process against a fake ctx (logomesh_testing.py): no Docker, no host.
Run from the plugin's folder: ``python3 -m unittest discover -s tests``."""
import os
import unittest

from logomesh_testing import Harness

MAIN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "main.py")


class PluginTest(unittest.TestCase):
    def test_echo_returns_its_payload_and_the_lifecycle_logs(self) -> None:
        h = Harness.load(MAIN, config={"greeting": "hi"})
        h.start()
        self.assertEqual(h.execute("echo", {"x": [1, "two", None]}), {"x": [1, "two", None]})
        self.assertEqual(h.message("ping"), "pong")
        with self.assertRaisesRegex(ValueError, "unknown action type 'nope'"):
            h.execute("nope")
        h.deactivate()
        self.assertEqual([m for _, m in h.logs], ["initialized with {'greeting': 'hi'}", "active", "inactive"])


if __name__ == "__main__":
    unittest.main()
