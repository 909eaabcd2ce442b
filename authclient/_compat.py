"""The sync half of authclient's hand-written primitive pairs, and the ``ASYNC`` marker.

The async source imports ``AsyncX`` / ``async_x`` from ``authclient._acompat``; the generator
turns that into ``X`` / ``x`` from this module, so the sync flavor never imports anyio or
asyncio. ``ASYNC`` marks the rare block that must differ (``if ASYNC: ... else: ...``): the
generator keeps the else, so the marker is only ever evaluated in the async source.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque
from typing import Callable, Generic, Optional, Protocol, TypeVar

ASYNC = True

Lock = threading.Lock


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


sleep = time.sleep


def call_deadline(deadline: Optional[float]) -> contextlib.AbstractContextManager[object]:
    return contextlib.nullcontext()


class _Closable(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=_Closable)


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
        value = self.current()
        if value is not None:
            return value
        with self._lock:
            if self._value is None or self._pid != os.getpid():
                self._value = factory()
                self._pid = os.getpid()
            return self._value

    def current(self) -> Optional[C]:
        """The value when ``get`` has made it already (in this process); never makes one."""
        value = self._value
        return value if value is not None and self._pid == os.getpid() else None

    def reset(self) -> None:
        with self._lock:
            value, self._value = self._value, None
        if value is not None:
            value.close()
