"""Frames on the host socket: a 4-byte unsigned big-endian length N, then N bytes of
UTF-8 JSON holding one object (PROTOCOL.md, "Framing")."""
import json
import struct

HEADER = struct.Struct(">I")


class FrameError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def encode(message, max_frame):
    """Encodes one message. Raises TypeError/ValueError when it is not JSON-encodable,
    FrameError (``frame_too_large``) past the cap."""
    body = json.dumps(message, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(body) > max_frame:
        raise FrameError("frame_too_large", f"frame of {len(body)} bytes exceeds the {max_frame}-byte cap")
    return HEADER.pack(len(body)) + body


def decode(payload):
    """The payload's JSON object, or None when it is not one."""
    try:
        value = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
