"""LogoMesh Python runtime shim: serves runtime-images/PROTOCOL.md v1 for one plugin.

Plugin code may ``from logomesh_shim import HostError`` to tell host errors apart, compare
``err.code`` with the constants (``logomesh_shim.DENIED``, ...), and annotate with ``Context`` /
``AsyncContext``, ``Action`` and ``Message`` (types: ``__init__.pyi``, docs/plugin-sdk.md).
"""
from .codes import (ALL as ERROR_CODES, BAD_REQUEST, BUSY, CLOSED, DENIED, FRAME_TOO_LARGE, INVALID_EVENT,
                    NO_HANDLER, NOT_ACTIVE, NOT_FOUND, PLUGIN_ERROR, RATE_LIMITED, TIMEOUT, TOO_LARGE, UNSUPPORTED)
from .ctx import Context
from .rpc import HostError
from .shapes import Action, Message

AsyncContext = Context  # the same object; the stub types its calls as awaitables (for async def code)

__all__ = ["HostError", "Context", "AsyncContext", "Action", "Message", "ERROR_CODES", "BAD_REQUEST", "BUSY",
           "CLOSED", "DENIED", "FRAME_TOO_LARGE", "INVALID_EVENT", "NO_HANDLER", "NOT_ACTIVE", "NOT_FOUND",
           "PLUGIN_ERROR", "RATE_LIMITED", "TIMEOUT", "TOO_LARGE", "UNSUPPORTED"]
