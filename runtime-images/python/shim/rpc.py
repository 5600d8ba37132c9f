"""Request/response correlation over one framed connection, in both directions at once.

Reading runs on the event loop: one ``read`` takes whatever the socket holds and every whole frame
in it is dispatched in that wake-up. Writing is the connection's own, not the transport's, so any
thread may write: a worker thread that finished a plain ``def`` call writes its answer itself
(``reply``), with no hop back to the loop. A write goes straight to the socket while nothing is
queued; what the socket does not take waits in an outbox the loop writes out when the socket is
writable again. Past ``HIGH_WATER`` queued bytes a worker waits, and a loop-side request awaits, until
the host has read them (the host reading nothing for long is the host's to end).
"""
import asyncio
import os
import threading

from .framing import HEADER, FrameError, decode, encode

READ_CHUNK = 256 * 1024
HIGH_WATER = 4 * 1024 * 1024


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
    on_notification(method, params) and on_garbage(count) are plain functions. fast_request(id,
    method, params), when given, may take a request on itself (returns True) and answer it later
    with ``reply``/``reply_error`` from any thread; otherwise on_request answers it in a task."""

    def __init__(self, reader, writer, max_frame, on_request, on_notification, on_garbage, fast_request=None):
        self.loop = asyncio.get_running_loop()
        self.reader, self.writer, self.max_frame = reader, writer, max_frame
        self.on_request, self.on_notification, self.on_garbage = on_request, on_notification, on_garbage
        self.fast_request = fast_request
        self.closed = False
        self._next_id = 1
        self._pending = {}
        self._tasks = set()
        self._garbage = 0
        self._outbox = []  # frames encoded on the loop in this iteration, written together (see _flush)
        # a second descriptor of the same socket: the loop watches it for writability (the transport
        # owns the first one and only reads from it)
        self._fd = os.dup(writer.transport.get_extra_info("socket").fileno())
        self._lock = threading.Lock()
        self._room = threading.Condition(self._lock)
        self._queued = bytearray()  # bytes the socket has not taken yet
        self._watching = False
        self._drained = None  # a loop future a request awaits while the outbox is past HIGH_WATER

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
        await self._wait_for_room()
        return await future

    def notify(self, method, params):
        """Sends a notification (from any thread); False when it could not be encoded."""
        try:
            if self.in_loop():
                self._write({"method": method, "params": params})
            else:
                self._send(encode({"method": method, "params": params}, self.max_frame), wait=True)
            return True
        except (FrameError, TypeError, ValueError):
            return False

    def reply(self, request_id, result):
        """Answers a request with its result (from any thread); an unencodable result is answered as
        ``bad_result``."""
        try:
            frame = encode({"id": request_id, "result": result}, self.max_frame)
        except FrameError as exc:
            return self.reply_error(request_id, "bad_result", str(exc))
        except (TypeError, ValueError) as exc:
            return self.reply_error(request_id, "bad_result", f"the result cannot be encoded as JSON: {exc}")
        return self._send_reply(frame)

    def reply_error(self, request_id, code, message):
        """Answers a request with an error (from any thread)."""
        frame = encode({"id": request_id, "error": {"code": code, "message": message}}, self.max_frame)
        return self._send_reply(frame)

    async def serve(self):
        """Reads frames until the peer closes (or breaks the framing rules)."""
        buf = bytearray()
        size = HEADER.size
        try:
            while True:
                data = await self.reader.read(READ_CHUNK)
                if not data:
                    break
                buf += data
                start = 0
                while len(buf) - start >= size:
                    (n,) = HEADER.unpack_from(buf, start)
                    if n == 0 or n > self.max_frame:
                        raise FrameError("bad_frame", f"peer announced a frame of {n} bytes (allowed 1..{self.max_frame})")
                    end = start + size + n
                    if len(buf) < end:
                        break
                    self._dispatch(decode(buf[start + size:end]))
                    start = end
                if start:
                    del buf[:start]
        except (FrameError, ConnectionError):
            pass
        self.close()

    def close(self):
        if self.closed:
            return
        self.closed = True
        with self._lock:
            if self._watching:
                self.loop.remove_writer(self._fd)
                self._watching = False
            os.close(self._fd)
            self._queued.clear()
            self._room.notify_all()
        self.writer.close()
        for future in self._pending.values():
            if not future.done():
                future.set_exception(HostError("closed", "the host connection is closed"))
        self._pending.clear()
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    def _write(self, message):
        """On the loop: encodes now (errors reach the caller) and queues the frame; the frames queued in
        one iteration of the loop go to the socket as one write."""
        if self.closed:
            raise FrameError("closed", "the host connection is closed")
        frame = encode(message, self.max_frame)
        if not self._outbox:
            self.loop.call_soon(self._flush)
        self._outbox.append(frame)

    def _flush(self):
        frames, self._outbox = self._outbox, []
        if frames:
            self._send(frames[0] if len(frames) == 1 else b"".join(frames), wait=False)

    def _send_reply(self, frame):
        if self.in_loop():
            if not self.closed:
                if not self._outbox:
                    self.loop.call_soon(self._flush)
                self._outbox.append(frame)
        else:
            self._send(frame, wait=True)

    def _send(self, data, wait):
        """Writes ``data`` to the socket now, or queues what it does not take. ``wait``: a thread
        other than the loop's waits while the outbox is past HIGH_WATER."""
        watch = False
        with self._lock:
            if self.closed:
                return
            if not self._queued:
                try:
                    written = os.write(self._fd, data)
                except BlockingIOError:
                    written = 0
                except OSError:
                    return  # the host is gone: serve() sees the end of the stream and closes
                if written == len(data):
                    return
                data = memoryview(data)[written:]
            self._queued += data
            if not self._watching:
                self._watching = watch = True
            while wait and len(self._queued) > HIGH_WATER and not self.closed:
                if watch:
                    self.loop.call_soon_threadsafe(self._watch)
                    watch = False
                self._room.wait()
        if watch:
            if self.in_loop():
                self._watch()
            else:
                self.loop.call_soon_threadsafe(self._watch)

    def _watch(self):
        if not self.closed:
            self.loop.add_writer(self._fd, self._writable)

    def _writable(self):
        with self._lock:
            if self.closed:
                return
            try:
                written = os.write(self._fd, self._queued)
            except BlockingIOError:
                written = 0
            except OSError:
                written = len(self._queued)  # the host is gone: nothing more to write
            del self._queued[:written]
            if len(self._queued) <= HIGH_WATER:
                self._room.notify_all()
            if self._queued:
                return
            self.loop.remove_writer(self._fd)
            self._watching = False
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    async def _wait_for_room(self):
        """Waits for the host to read only when the outbox is past HIGH_WATER; otherwise writing on needs no wait."""
        while len(self._queued) > HIGH_WATER and not self.closed:
            if self._drained is None or self._drained.done():
                self._drained = self.loop.create_future()
            await self._drained

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
                if self.fast_request is not None and isinstance(params, dict) \
                        and self.fast_request(msg_id, method, params):
                    return None
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
            result = await self.on_request(method, params)
        except RpcError as exc:
            if not self.closed:
                self.reply_error(request_id, exc.code, exc.message)
            return
        except Exception as exc:  # a shim bug must still produce an answer
            if not self.closed:
                self.reply_error(request_id, "internal_error", f"{type(exc).__name__}: {exc}")
            return
        if not self.closed:
            self.reply(request_id, result)
            await self._wait_for_room()

    def _count_garbage(self):
        self._garbage += 1
        self.on_garbage(self._garbage)
