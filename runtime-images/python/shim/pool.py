"""The worker pool plain ``def`` plugin code runs in (PROTOCOL.md, "Python calling convention").

At most ``size`` calls run plugin code at once (``$LOGOMESH_MAX_CONCURRENCY``, default 8: the
manifest's ``resourceRequirements.maxConcurrency``); the rest wait, in order, on the event loop,
which goes on reading frames and running ``async def`` code meanwhile. A call that blocks in a
host call (a ``ctx`` method called from its worker thread) gives its slot back while it waits and
takes one again before it goes on, so plain calls that wait on each other through the host (an
action that sends a message whose handler is a plain ``def`` of the same plugin) never starve the
pool. Threads are bounded too: ``size`` running plus ``BLOCKED_EXTRA`` waiting in host calls, at
most ``MAX_THREADS`` (the container's pids limit is 64 by default).
"""
import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor

DEFAULT_SIZE = 8
MAX_SIZE = 32
BLOCKED_EXTRA = 16
MAX_THREADS = 48


def size_from_env(environ=os.environ):
    """``$LOGOMESH_MAX_CONCURRENCY`` as a pool size: a whole number from 1, at most MAX_SIZE;
    DEFAULT_SIZE when absent or not a positive number."""
    try:
        value = int(environ.get("LOGOMESH_MAX_CONCURRENCY", ""))
    except ValueError:
        return DEFAULT_SIZE
    return min(value, MAX_SIZE) if value > 0 else DEFAULT_SIZE


class WorkerPool:
    def __init__(self, loop, size):
        self.loop = loop
        self.size = size
        self._slots = asyncio.Semaphore(size)
        self._executor = ThreadPoolExecutor(max_workers=min(size + BLOCKED_EXTRA, MAX_THREADS),
                                            thread_name_prefix="plugin")
        self._local = threading.local()

    async def run(self, fn, *args):
        """Runs ``fn(*args)`` in a worker thread once a slot is free (called on the loop)."""
        await self._slots.acquire()
        try:
            return await self.loop.run_in_executor(self._executor, self._in_slot, fn, args)
        finally:
            self._slots.release()

    def _in_slot(self, fn, args):
        self._local.in_slot = True
        try:
            return fn(*args)
        finally:
            self._local.in_slot = False

    def wait_for(self, coro):
        """Runs a coroutine (a host call) on the loop from another thread and blocks until its
        result; a worker gives its slot back meanwhile."""
        if getattr(self._local, "in_slot", False):
            coro = self._slot_released(coro)
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    async def _slot_released(self, coro):
        self._slots.release()
        try:
            return await coro
        finally:
            await self._slots.acquire()
