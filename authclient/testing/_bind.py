"""Clients bound to a ``LocalCore`` in-process (no socket), reading time from an ``AuthClock``."""

from __future__ import annotations

from typing import Callable, Optional, TypeVar

import httpx

from authclient import asyncio as aio
from authclient import syncio
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.types import Overrides, SessionConfig

CORE_URL = "http://localcore"
R = TypeVar("R")


def clock_override(clock: Callable[[], float]) -> Callable[[R], R]:
    """A session-recipe override that makes the recipe read the time from ``clock``.

    The recipe's private clock is the one hook: its verification (and the web layer's cookie
    times) read it instead of ``time.time()``. Nothing global is patched.
    """

    def bind(original: R) -> R:
        setattr(original, "_clock", clock)  # noqa: B010 (a private hook, on purpose)
        return original

    return bind


def sync_client(
    core: LocalCore, clock: Callable[[], float], session: Optional[SessionConfig] = None
) -> syncio.Client:
    """A ``syncio.Client`` on ``core``; closing it leaves the core open."""
    http = httpx.Client(transport=LocalCoreTransport(core), base_url=CORE_URL)
    return syncio.Client(
        CORE_URL,
        http_client=http,
        session=session,
        overrides=Overrides(session=clock_override(clock)),
    )


def async_client(
    core: LocalCore, clock: Callable[[], float], session: Optional[SessionConfig] = None
) -> aio.AsyncClient:
    """An ``asyncio.AsyncClient`` on ``core`` (its transport holds no socket to close)."""
    http = httpx.AsyncClient(transport=LocalCoreTransport(core), base_url=CORE_URL)
    return aio.AsyncClient(
        CORE_URL,
        http_client=http,
        session=session,
        overrides=Overrides(session=clock_override(clock)),
    )


def init_default_clients(
    core: LocalCore, clock: Callable[[], float], session: Optional[SessionConfig] = None
) -> None:
    """Point the module-level functions of both flavors (the default clients) at ``core``."""
    syncio.init(
        CORE_URL,
        http_client=httpx.Client(transport=LocalCoreTransport(core), base_url=CORE_URL),
        session=session,
        overrides=Overrides(session=clock_override(clock)),
    )
    aio.init(
        CORE_URL,
        http_client=httpx.AsyncClient(transport=LocalCoreTransport(core), base_url=CORE_URL),
        session=session,
        overrides=Overrides(session=clock_override(clock)),
    )


def reset_default_clients() -> None:
    syncio.reset()
    aio.reset()
