"""Defence in depth at securityLevel ``minimal`` (the container stays the real boundary).

Three layers, installed after the shim has connected (it needs ``socket`` and ``asyncio``):
- a meta path finder refuses importing modules that start processes, open sockets or load
  native code (``subprocess``, ``socket``, ``ctypes``, ``multiprocessing``, ...);
- ``builtins.__import__`` refuses the same names to plugin code even where the shim has
  already loaded them (asyncio imports ``socket`` and ``subprocess`` itself);
- an audit hook (``sys.addaudithook``, which cannot be removed) refuses the operations
  themselves: process creation (``subprocess.Popen``, ``os.system``, ``os.exec*``,
  ``os.posix_spawn``, ``os.fork``), new sockets, and ``ctypes`` loading.
"""
import builtins
import sys

REFUSED_MODULES = frozenset({
    "subprocess", "_posixsubprocess", "socket", "_socket", "ssl", "_ssl", "ctypes", "_ctypes",
    "multiprocessing", "_multiprocessing", "pty", "pdb", "asyncio.subprocess", "http.client",
    "urllib.request", "ftplib", "smtplib", "telnetlib", "xmlrpc.client", "socketserver",
})
REFUSED_EVENTS = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
    "os.forkpty", "pty.spawn", "socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo",
    "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "ctypes.call_function",
})
SHIM_PACKAGE = __name__.rpartition(".")[0]


def _refused(name):
    if not name:
        return None
    if name in REFUSED_MODULES:
        return name
    root = name.partition(".")[0]
    return root if root in REFUSED_MODULES else None


def _error(name):
    return ImportError(f"module '{name}' is not available to plugins at securityLevel minimal")


class _RefusingFinder:
    """Meta path finder: nothing on the refused list can be imported any more."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        refused = _refused(fullname)
        if refused:
            raise _error(refused)
        return None


def _from_shim_or_stdlib(globals_):
    name = (globals_ or {}).get("__name__", "")
    spec = (globals_ or {}).get("__spec__")
    origin = getattr(spec, "origin", "") or (globals_ or {}).get("__file__", "") or ""
    return name.startswith(SHIM_PACKAGE) or (origin.startswith(sys.prefix) and not origin.startswith("/plugin"))


def _guard_import(real_import):
    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002
        if level == 0 and not _from_shim_or_stdlib(globals):
            refused = _refused(name)
            if refused:
                raise _error(refused)
        return real_import(name, globals, locals, fromlist, level)
    return guarded_import


def _audit(event, args):
    if event in REFUSED_EVENTS:
        raise PermissionError(f"'{event}' is not allowed to plugins at securityLevel minimal")


def install(level):
    """Installs the guard when ``level`` is ``minimal``; returns whether it did."""
    if level != "minimal":
        return False
    sys.meta_path.insert(0, _RefusingFinder())
    builtins.__import__ = _guard_import(builtins.__import__)
    sys.addaudithook(_audit)
    return True
