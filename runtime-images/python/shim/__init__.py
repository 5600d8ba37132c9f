"""LogoMesh Python runtime shim: serves runtime-images/PROTOCOL.md v1 for one plugin.

Plugin code may ``from logomesh_shim import HostError`` to tell host errors apart.
"""
from .rpc import HostError

__all__ = ["HostError"]
