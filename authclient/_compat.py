"""Hand-written pairs of primitives: the async one for authclient.asyncio, the sync one for syncio.

The generator renames ``AsyncX`` to ``X`` and ``async_sleep`` to ``sleep``, so the async source
names the async member of each pair and the generated code gets the sync one. ``ASYNC`` marks
the rare block that must differ (``if ASYNC: ... else: ...``); the generator keeps the else.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import AsyncGenerator
from typing import Callable, Generic, Optional, Protocol, TypeVar

import anyio

ASYNC = True

AsyncLock = anyio.Lock
Lock = threading.Lock


class AsyncLimiter:
    """At most ``limit`` holders at once, served first come, first served.

    Entering does not yield when a slot is free. anyio's semaphore is already fair on asyncio
    and trio: ``release`` hands the slot straight to the oldest waiter (the count stays at 0,
    so ``acquire_nowait`` cannot barge ahead of it), and a waiter cancelled just after being
    handed the slot passes it on. tests/test_limiter.py holds it to that.
    """

    def __init__(self, limit: int) -> None:
        self._semaphore = anyio.Semaphore(limit, max_value=limit)

    @property
    def waiting(self) -> int:
        """How many tasks are queued for a slot."""
        return self._semaphore.statistics().tasks_waiting

    async def __aenter__(self) -> None:
        try:
            self._semaphore.acquire_nowait()  # the common case: no extra trip through the loop
        except anyio.WouldBlock:
            await self._semaphore.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        self._semaphore.release()


class Limiter:
    """At most ``limit`` holders at once, served first come, first served.

    ``threading.BoundedSemaphore`` lets a newcomer take a released slot before the woken waiter
    runs, so under load a few threads keep winning and others starve. Here a release hands the
    slot to the oldest waiter (each waits on a lock of its own), and nobody takes a free slot
    while someone is queued. The locks are made through ``threading.Lock`` when needed, so under
    gevent's monkey-patching (even applied after this import) they are greenlet locks.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._free = limit
        self._queue: deque[threading.Lock] = deque()  # one locked lock per waiter, oldest first
        self._lock = threading.Lock()

    @property
    def waiting(self) -> int:
        """How many threads are queued for a slot."""
        return len(self._queue)

    def __enter__(self) -> None:
        with self._lock:
            if self._free:  # a free slot means nobody is queued: every release hands off first
                self._free -= 1
                return
        self._wait()

    def _wait(self) -> None:
        waiter = threading.Lock()
        waiter.acquire()
        queued = False
        try:
            with self._lock:
                if self._free:  # freed since we looked
                    self._free -= 1
                    return
                queued = True
                self._queue.append(waiter)
            waiter.acquire()  # released by whoever hands us the slot
        except BaseException:  # interrupted: KeyboardInterrupt, a killed greenlet, ...
            if queued:
                with self._lock:
                    try:
                        self._queue.remove(waiter)  # still queued: give up our place
                    except ValueError:
                        self._hand_on()  # the slot was already ours: pass it on, never lose it
            raise

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._hand_on()

    def _hand_on(self) -> None:
        """Give a slot to the oldest waiter, or free it; call with ``self._lock`` held."""
        if self._queue:
            self._queue.popleft().release()
        elif self._free < self._limit:
            self._free += 1
        else:
            raise ValueError("Limiter released more often than it was entered")


async_sleep = anyio.sleep
sleep = time.sleep


def async_call_deadline(deadline: Optional[float]) -> contextlib.AbstractContextManager[object]:
    """Cancels the block when ``deadline`` (a ``time.monotonic()`` value) passes: TimeoutError.

    The sync flavor cannot interrupt a blocking call from outside; its own connections stop at
    the deadline instead (``_network.DeadlineBackend``), so its twin does nothing.
    """
    if deadline is None:
        return contextlib.nullcontext()
    return anyio.fail_after(max(0.0, deadline - time.monotonic()))


def call_deadline(deadline: Optional[float]) -> contextlib.AbstractContextManager[object]:
    return contextlib.nullcontext()


class _AsyncClosable(Protocol):
    async def aclose(self) -> None: ...


class _Closable(Protocol):
    def close(self) -> None: ...


AC = TypeVar("AC", bound=_AsyncClosable)
C = TypeVar("C", bound=_Closable)


def _current_loop() -> object:
    """An object that identifies the running event loop (asyncio or trio)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    try:
        import trio

        return trio.lowlevel.current_trio_token()
    except (ImportError, RuntimeError):
        raise RuntimeError(
            "authclient.asyncio needs a running asyncio or trio event loop"
        ) from None


class AsyncDefaultSlot(Generic[AC]):
    """One value per running event loop, closed when that loop shuts down.

    The close is hooked to the loop's shutdown through a suspended async generator: asyncio.run()
    (``shutdown_asyncgens``) and trio.run() both finalise live async generators before they end,
    and that runs our ``finally``. So a default client works across repeated asyncio.run() /
    trio.run() calls and never leaks a connection into a dead loop.
    """

    def __init__(self) -> None:
        self._current: dict[int, tuple[weakref.ref[object], AC]] = {}
        # Every guard stays referenced until its loop finalises it (a collected guard would
        # close its value early).
        self._guards: dict[int, AsyncGenerator[None, None]] = {}

    async def get(self, factory: Callable[[], AC]) -> AC:
        loop = _current_loop()
        entry = self._current.get(id(loop))
        if entry is not None and entry[0]() is loop:
            return entry[1]
        value = factory()
        guard = self._close_at_shutdown(id(loop), value)
        await guard.asend(None)  # the loop's first-iteration hook now tracks the generator
        self._guards[id(value)] = guard
        self._current[id(loop)] = (weakref.ref(loop), value)
        return value

    async def _close_at_shutdown(self, loop_key: int, value: AC) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            self._guards.pop(id(value), None)
            entry = self._current.get(loop_key)
            if entry is not None and entry[1] is value:
                del self._current[loop_key]
            with anyio.CancelScope(shield=True):
                await value.aclose()

    def reset(self) -> None:
        """Stop handing out the current values; each is still closed when its loop shuts down."""
        self._current.clear()


class DefaultSlot(Generic[C]):
    """One value for the whole process, shared by every thread, and rebuilt after a fork."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: Optional[C] = None
        self._pid = os.getpid()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        # The child shares the parent's sockets: drop (never close) what the parent owns.
        self._lock = threading.Lock()
        self._value = None
        self._pid = os.getpid()

    def get(self, factory: Callable[[], C]) -> C:
        value = self._value
        if value is not None and self._pid == os.getpid():
            return value
        with self._lock:
            if self._value is None or self._pid != os.getpid():
                self._value = factory()
                self._pid = os.getpid()
            return self._value

    def reset(self) -> None:
        with self._lock:
            value, self._value = self._value, None
        if value is not None:
            value.close()
