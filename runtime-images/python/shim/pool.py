"""The worker pool plain ``def`` plugin code runs in (PROTOCOL.md, "Python calling convention").

At most ``size`` calls run plugin code at once (``$LOGOMESH_MAX_CONCURRENCY``, default 8: the
manifest's ``resourceRequirements.maxConcurrency``); the rest wait in the pool's queue while the
event loop goes on reading frames and running ``async def`` code. Calls are handed to the threads
directly (a worker takes the next call as soon as it is done with one; the loop is not asked in
between). An action's or a message's answer is written by its worker itself (``submit``, rpc.py);
other results reach the loop, those of calls that end close together in one wake-up.

A call that blocks in a host call (a ``ctx`` method called from its worker thread) gives its slot
back while it waits and takes one again before it goes on, so plain calls that wait on each other
through the host (an action that sends a message whose handler is a plain ``def`` of the same
plugin) never starve the pool. Threads are bounded too: ``size`` working plus those waiting in host
calls, at most ``MAX_THREADS`` (the container's pids limit is 64 by default); past that, calls wait
for a thread.
"""
import asyncio
import collections
import os
import queue
import threading

DEFAULT_SIZE = 8
MAX_SIZE = 32
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
        self._slots = threading.Semaphore(size)
        self._jobs = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0  # started
        self._idle = 0  # waiting for a call
        self._queued = 0  # calls put in the queue and not yet taken (counted until the taker says so)
        self._blocked = 0  # in a host call, slot given back
        self._done = collections.deque()  # (future, ok, value) to settle on the loop
        self._wake_pending = False
        self._local = threading.local()

    def prestart(self):
        """Starts one worker ahead of the first call (it waits, idle, for work): the first plugin call
        (``initialize`` loading the module) then needs no thread start."""
        with self._lock:
            if self._threads == 0:
                self._threads += 1
                threading.Thread(target=self._work, name="plugin_0", daemon=True).start()

    def resize(self, size):
        """A cell's ``load`` sets the plugin's concurrency before any plugin code ran (no slot is held)."""
        with self._lock:
            self.size = size
            self._slots = threading.Semaphore(size)

    async def run(self, fn, *args):
        """Runs ``fn(*args)`` in a worker thread (called on the loop); returns or raises what it did."""
        future = self.loop.create_future()
        self.submit(fn, args, lambda ok, value: self._settle((future, ok, value)))
        return await future

    def submit(self, fn, args, done):
        """Runs ``fn(*args)`` in a worker thread (called on the loop), then ``done(ok, value)`` in that
        same thread with what it returned (``ok``) or raised: an answer needs no hop back to the loop."""
        self._jobs.put((done, fn, args))
        with self._lock:
            self._queued += 1
            self._grow()

    def _grow(self):
        """Starts a thread when more calls wait than idle threads can take and fewer than ``size``
        threads are working (holding the lock). A call just taken is still counted in both
        ``_queued`` and ``_idle`` until its taker updates them, so the difference stays right."""
        if self._queued > self._idle and self._threads - self._blocked < self.size and self._threads < MAX_THREADS:
            self._threads += 1
            threading.Thread(target=self._work, name=f"plugin_{self._threads - 1}", daemon=True).start()

    def _work(self):
        while True:
            with self._lock:
                self._idle += 1
            done, fn, args = self._jobs.get()
            with self._lock:
                self._idle -= 1
                self._queued -= 1
            self._slots.acquire()
            self._local.in_slot = True
            try:
                ok, value = True, fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, as raised
                ok, value = False, exc
            finally:
                self._local.in_slot = False
                self._slots.release()
            done(ok, value)
            del done, fn, args, value

    def _settle(self, outcome):
        self._done.append(outcome)
        with self._lock:
            if self._wake_pending:
                return
            self._wake_pending = True
        self.loop.call_soon_threadsafe(self._settle_all)

    def _settle_all(self):
        with self._lock:
            self._wake_pending = False
        while self._done:
            future, ok, value = self._done.popleft()
            if future.done():
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def wait_for(self, coro):
        """Runs a coroutine (a host call) on the loop from another thread and blocks until its
        result; a worker gives its slot back meanwhile."""
        if not getattr(self._local, "in_slot", False):
            return asyncio.run_coroutine_threadsafe(coro, self.loop).result()
        with self._lock:
            self._blocked += 1
            self._grow()
        self._slots.release()
        try:
            return asyncio.run_coroutine_threadsafe(coro, self.loop).result()
        finally:
            self._slots.acquire()
            with self._lock:
                self._blocked -= 1
