"""The worker pool plain ``def`` plugin code runs in (PROTOCOL.md, "Python calling convention").

At most ``size`` calls run plugin code at once (``$LOGOMESH_MAX_CONCURRENCY``, default 8: the
manifest's ``resourceRequirements.maxConcurrency``); the rest wait in the pool's queue, in order,
while the event loop goes on reading frames and running ``async def`` code. An action's or a
message's answer is written by its worker itself (``submit``, rpc.py); other results reach the
loop, those of calls that end close together in one wake-up.

Threads are added as calls need them, not as they arrive. A queued call is taken by a working
thread as soon as that one is done with its call; another thread is woken only when no thread is
working, or when every working thread has been inside its current call for ``STUCK_AFTER``
seconds (checked on the loop while calls wait). Calls that return quickly are so run one after
another by one thread, which under the GIL is what they would get anyway, without the wake-ups
and GIL hand-offs between threads that cost a third of the shim's CPU per call; a call that
blocks (sleeps, waits on a lock, on I/O) gets a second thread for the calls behind it within
about ``STUCK_AFTER``, and so on up to ``size``.

A call that blocks in a host call (a ``ctx`` method called from its worker thread) gives its slot
back while it waits, and another thread takes the queued calls at once; it takes a slot again
before it goes on, so plain calls that wait on each other through the host (an action that sends
a message whose handler is a plain ``def`` of the same plugin) never starve the pool. Threads are
bounded too: ``size`` working plus those waiting in host calls, at most ``MAX_THREADS`` (the
container's pids limit is 64 by default); past that, calls wait for a thread.
"""
import asyncio
import collections
import os
import threading
import time

DEFAULT_SIZE = 8
MAX_SIZE = 32
MAX_THREADS = 48
STUCK_AFTER = 0.001  # seconds inside one call after which a working thread no longer counts as taking the queue


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
        self._lock = threading.Lock()
        self._slot_free = threading.Condition(self._lock)  # a thread back from a host call waits for a slot
        self._jobs = collections.deque()  # (done, fn, args), in order
        self._parked = []  # one held lock per parked thread; released to wake it
        self._threads = 0  # started
        self._working = 0  # holding a slot: running a call, or between calls, or woken to take one
        self._blocked = 0  # in a host call, slot given back
        self._since = {}  # thread ident -> time.monotonic() its current call started
        self._check_armed = False
        self._done = collections.deque()  # (future, ok, value) to settle on the loop
        self._wake_pending = False
        self._local = threading.local()

    def prestart(self):
        """Starts one worker ahead of the first call (it parks, idle): the first plugin call
        (``initialize`` loading the module) then needs no thread start."""
        with self._lock:
            if self._threads == 0:
                self._add_thread()

    def resize(self, size):
        """A cell's ``load`` sets the plugin's concurrency before any plugin code ran (no slot is held)."""
        with self._lock:
            self.size = size

    async def run(self, fn, *args):
        """Runs ``fn(*args)`` in a worker thread (called on the loop); returns or raises what it did."""
        future = self.loop.create_future()
        self.submit(fn, args, lambda ok, value: self._settle((future, ok, value)))
        return await future

    def submit(self, fn, args, done):
        """Runs ``fn(*args)`` in a worker thread (called on the loop), then ``done(ok, value)`` in that
        same thread with what it returned (``ok``) or raised: an answer needs no hop back to the loop."""
        with self._lock:
            self._jobs.append((done, fn, args))
            if self._working == 0:
                self._wake_one()
            elif not self._check_armed:
                self._check_armed = True
                self.loop.call_later(STUCK_AFTER, self._check)

    def _check(self):
        """On the loop, while calls wait: wakes another thread when every working one is stuck in its call."""
        with self._lock:
            self._check_armed = False
            if not self._jobs:
                return
            stuck_before = time.monotonic() - STUCK_AFTER
            since = self._since.values()
            if self._working < self.size and len(since) >= self._working and all(t <= stuck_before for t in since):
                self._wake_one()
            self._check_armed = True
        self.loop.call_later(STUCK_AFTER, self._check)

    def _wake_one(self):
        """Gives a slot to a parked thread, or to a new one (holding the lock). The caller checked that a
        slot is free; without a parked thread and at MAX_THREADS the calls wait for a thread."""
        if self._parked:
            self._working += 1
            self._parked.pop().release()
        elif self._threads < MAX_THREADS:
            self._add_thread()

    def _add_thread(self):
        self._threads += 1
        self._working += 1
        threading.Thread(target=self._work, name=f"plugin_{self._threads - 1}", daemon=True).start()

    def _work(self):
        me = threading.get_ident()
        wake = threading.Lock()
        local = self._local
        lock = self._lock
        while True:
            lock.acquire()
            while not self._jobs:
                self._working -= 1
                self._slot_free.notify()
                wake.acquire()  # held: the next acquire parks this thread until a waker releases it
                self._parked.append(wake)
                lock.release()
                wake.acquire()
                wake.release()
                lock.acquire()  # the waker counted this thread as working again
            done, fn, args = self._jobs.popleft()
            self._since[me] = time.monotonic()
            lock.release()
            local.in_slot = True
            try:
                ok, value = True, fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, as raised
                ok, value = False, exc
            local.in_slot = False
            with lock:
                self._since.pop(me, None)
            try:
                done(ok, value)
            except Exception as exc:  # noqa: BLE001 - reported; the thread stays in the pool's counts
                threading.excepthook(threading.ExceptHookArgs((type(exc), exc, exc.__traceback__,
                                                               threading.current_thread())))
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
        result; a worker gives its slot back meanwhile, and a queued call gets a thread at once."""
        if not getattr(self._local, "in_slot", False):
            return asyncio.run_coroutine_threadsafe(coro, self.loop).result()
        me = threading.get_ident()
        with self._lock:
            started = self._since.pop(me, None)
            self._working -= 1
            self._blocked += 1
            self._slot_free.notify()
            if self._jobs:
                self._wake_one()
        try:
            return asyncio.run_coroutine_threadsafe(coro, self.loop).result()
        finally:
            with self._lock:
                while self._working >= self.size:
                    self._slot_free.wait()
                self._working += 1
                self._blocked -= 1
                self._since[me] = time.monotonic() if started is None else started
