"""Shapes plugin code receives (runtime names for the types of ``__init__.pyi``)."""
from typing import Any, TypedDict


class Action(TypedDict):
    """One action: ``{"id", "type", "payload"}``."""
    id: str
    type: str
    payload: Any


class Message(TypedDict):
    """A message or an event as a handler gets it: ``{"type", "data"}`` (an event's type is its topic)."""
    type: str
    data: Any
