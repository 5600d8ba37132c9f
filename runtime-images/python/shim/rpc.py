"""Request/response correlation over one framed connection, in both directions at once."""
import asyncio

from .framing import FrameError, decode, encode, read_frame


class RpcError(Exception):
    """Raised by a request handler; answered as ``{"code", "message"}``."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class HostError(Exception):
    """Raised into plugin code when the host answers one of its requests with an error."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class Connection:
    """on_request(method, params) is a coroutine function (raise RpcError to refuse);
    on_notification(method, params) and on_garbage(count) are plain functions."""

    def __init__(self, reader, writer, max_frame, on_request, on_notification, on_garbage):
        self.loop = asyncio.get_running_loop()
        self.reader, self.writer, self.max_frame = reader, writer, max_frame
        self.on_request, self.on_notification, self.on_garbage = on_request, on_notification, on_garbage
        self.closed = False
        self._next_id = 1
        self._pending = {}
        self._tasks = set()
        self._garbage = 0
        self._drain_lock = asyncio.Lock()
        self._outbox = []  # frames encoded in this loop iteration, written together (see _flush)

    def in_loop(self):
        """True on the event loop's thread (callers get awaitables), False elsewhere."""
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:
            return False

    async def request(self, method, params):
        """Sends a request and returns its result; raises HostError for an error reply."""
        request_id = self._next_id
        self._next_id += 1
        future = self.loop.create_future()
        self._pending[request_id] = future
        try:
            self._write({"id": request_id, "method": method, "params": params})
        except (FrameError, TypeError, ValueError) as exc:
            del self._pending[request_id]
            raise HostError(getattr(exc, "code", "bad_request"), str(exc)) from None
        await self._drain_if_backed_up()
        return await future

    def notify(self, method, params):
        """Sends a notification (from any thread); False when it could not be encoded."""
        if not self.in_loop():
            self.loop.call_soon_threadsafe(self.notify, method, params)
            return True
        try:
            self._write({"method": method, "params": params})
            return True
        except (FrameError, TypeError, ValueError):
            return False

    async def serve(self):
        """Reads frames until the peer closes (or breaks the framing rules)."""
        try:
            while True:
                payload = await read_frame(self.reader, self.max_frame)
                if payload is None:
                    break
                self._dispatch(decode(payload))
        except (FrameError, ConnectionError):
            pass
        self.close()

    def close(self):
        self.closed = True
        self.writer.close()
        for future in self._pending.values():
            if not future.done():
                future.set_exception(HostError("closed", "the host connection is closed"))
        self._pending.clear()

    def _write(self, message):
        """Encodes now (errors reach the caller) and queues the frame; the frames queued in one
        iteration of the loop go to the transport as one write."""
        if self.closed:
            raise FrameError("closed", "the host connection is closed")
        frame = encode(message, self.max_frame)
        if not self._outbox:
            self.loop.call_soon(self._flush)
        self._outbox.append(frame)

    def _flush(self):
        frames, self._outbox = self._outbox, []
        if frames and not self.closed:
            self.writer.write(frames[0] if len(frames) == 1 else b"".join(frames))

    async def _drain_if_backed_up(self):
        """Waits for the transport only when its buffer is past the high-water mark (the host is not
        reading); otherwise writing on needs no wait."""
        transport = self.writer.transport
        if transport.get_write_buffer_size() <= transport.get_write_buffer_limits()[1]:
            return
        async with self._drain_lock:
            try:
                await self.writer.drain()
            except ConnectionError:
                pass

    def _dispatch(self, msg):
        if msg is None:
            return self._count_garbage()
        msg_id = msg.get("id")
        has_id = isinstance(msg_id, int) and not isinstance(msg_id, bool)
        method = msg.get("method")
        if isinstance(method, str):
            params = msg.get("params")
            params = {} if params is None else params
            if has_id:
                task = self.loop.create_task(self._answer(msg_id, method, params))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            elif "id" not in msg:
                self.on_notification(method, params)
            else:
                self._count_garbage()
            return None
        if not has_id or ("result" not in msg and "error" not in msg):
            return self._count_garbage()
        future = self._pending.pop(msg_id, None)
        if future is None or future.done():
            return None  # not pending: dropped
        error = msg.get("error")
        if error:
            error = error if isinstance(error, dict) else {}
            future.set_exception(HostError(str(error.get("code", "error")),
                                           str(error.get("message", "the host returned an error"))))
        else:
            future.set_result(msg.get("result"))
        return None

    async def _answer(self, request_id, method, params):
        try:
            reply = {"id": request_id, "result": await self.on_request(method, params)}
        except RpcError as exc:
            reply = {"id": request_id, "error": {"code": exc.code, "message": exc.message}}
        except Exception as exc:  # a shim bug must still produce an answer
            reply = {"id": request_id, "error": {"code": "internal_error", "message": f"{type(exc).__name__}: {exc}"}}
        if self.closed:
            return
        try:
            self._write(reply)
        except FrameError as exc:
            self._write({"id": request_id, "error": {"code": "bad_result", "message": str(exc)}})
        except (TypeError, ValueError) as exc:
            message = f"the result cannot be encoded as JSON: {exc}"
            self._write({"id": request_id, "error": {"code": "bad_result", "message": message}})
        await self._drain_if_backed_up()

    def _count_garbage(self):
        self._garbage += 1
        self.on_garbage(self._garbage)
