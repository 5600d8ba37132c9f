"""The ``code`` of every error a host call can raise (``HostError.code``), PROTOCOL.md.

A receiver's own handler error passes through ``send_message`` unchanged, so other codes can occur.
"""
DENIED = "denied"                    # policy refused it: missing permission, over a limit, unknown grant
NOT_FOUND = "not_found"              # no such plugin (send_message target)
NOT_ACTIVE = "not_active"            # the target plugin is not ACTIVE
NO_HANDLER = "no_handler"            # the target registered no handler for the message type
TIMEOUT = "timeout"                  # the target did not answer in time
TOO_LARGE = "too_large"              # the message, event or audit record is too large
RATE_LIMITED = "rate_limited"        # too many messages, events or audit records a second
BUSY = "busy"                        # a queue or the in-flight cap is full: retry later
BAD_REQUEST = "bad_request"          # malformed arguments
UNSUPPORTED = "unsupported"          # the host does not serve this call
INVALID_EVENT = "invalid_event"      # audit_log: the event is not a JSON object
FRAME_TOO_LARGE = "frame_too_large"  # the request would exceed the IPC frame cap (not sent)
CLOSED = "closed"                    # the host connection closed while the call was pending
PLUGIN_ERROR = "plugin_error"        # the receiver's handler raised

ALL = (DENIED, NOT_FOUND, NOT_ACTIVE, NO_HANDLER, TIMEOUT, TOO_LARGE, RATE_LIMITED, BUSY, BAD_REQUEST,
       UNSUPPORTED, INVALID_EVENT, FRAME_TOO_LARGE, CLOSED, PLUGIN_ERROR)
