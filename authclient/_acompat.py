"""The async half of authclient's hand-written primitive pairs (anyio), for authclient.asyncio.

Each name here has a sync twin in ``authclient._compat`` (``AsyncX`` -> ``X``, ``async_x`` ->
``x``); the generator rewrites ``from authclient._acompat import ...`` into an import from there.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncGenerator
from typing import Callable, Generic, Optional, Protocol, TypeVar

import anyio

AsyncLock = anyio.Lock

async_sleep = anyio.sleep


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


def async_call_deadline(deadline: Optional[float]) -> contextlib.AbstractContextManager[object]:
    """Cancels the block when ``deadline`` (a ``time.monotonic()`` value) passes: TimeoutError.

    The sync flavor cannot interrupt a blocking call from outside; its own connections stop at
    the deadline instead (``_network.DeadlineBackend``), so its twin does nothing.
    """
    if deadline is None:
        return contextlib.nullcontext()
    return anyio.fail_after(max(0.0, deadline - time.monotonic()))


class _AsyncClosable(Protocol):
    async def aclose(self) -> None: ...


AC = TypeVar("AC", bound=_AsyncClosable)


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
        value = self._value_in(loop)
        if value is not None:
            return value
        value = factory()
        guard = self._close_at_shutdown(id(loop), value)
        await guard.asend(None)  # the loop's first-iteration hook now tracks the generator
        self._guards[id(value)] = guard
        self._current[id(loop)] = (weakref.ref(loop), value)
        return value

    def current(self) -> Optional[AC]:
        """The running loop's value when ``get`` has made it already; never makes one."""
        try:
            loop = _current_loop()
        except RuntimeError:
            return None
        return self._value_in(loop)

    def _value_in(self, loop: object) -> Optional[AC]:
        entry = self._current.get(id(loop))
        return entry[1] if entry is not None and entry[0]() is loop else None

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
