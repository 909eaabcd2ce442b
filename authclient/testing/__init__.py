"""``authclient.testing``: a pytest plugin for testing your own app against a local core.

Installed with authclient, it registers itself with pytest (entry point ``authclient.testing``;
``-p no:authclient.testing`` turns it off) and does nothing until a test asks for one of its
fixtures: importing it imports neither httpx nor either flavor. The fixtures, fresh per test:

- ``auth_clock``: the ``AuthClock`` the core and both clients read the time from;
- ``local_core``: an in-memory ``LocalCore`` on that clock;
- ``auth_client`` / ``async_auth_client``: a ``syncio.Client`` / ``asyncio.AsyncClient`` bound
  to it in-process (no socket, no port); a session made with one verifies with the other;
- ``auth_helper`` / ``async_auth_helper``: ``AuthHelper`` / ``AsyncAuthHelper`` on them
  (``session_for``, ``log_in_as``, ``seed_metadata``, ``expire_access_token``, ``refresh``,
  ``replay_refresh_token``, ``session_exists``);
- ``auth_default_clients``: points the module-level functions of both flavors (and adapters
  given ``client=None``) at the core for the test;
- ``auth_session_config``: the ``SessionConfig`` of those clients; override it in a conftest.

Without pytest's entry points (``-p no:...`` elsewhere, a frozen install), load it with
``pytest_plugins = ["authclient.testing"]`` in the root ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from authclient.asyncio import AsyncClient
    from authclient.localcore import LocalCore
    from authclient.syncio import Client
    from authclient.testing._clock import AuthClock
    from authclient.testing._credentials import SessionCredentials, Transfer
    from authclient.testing._helpers import AsyncAuthHelper, AuthHelper
    from authclient.types import SessionConfig

__all__ = [
    "AsyncAuthHelper",
    "AuthClock",
    "AuthHelper",
    "SessionCredentials",
    "Transfer",
    "async_auth_client",
    "async_auth_helper",
    "auth_client",
    "auth_clock",
    "auth_default_clients",
    "auth_helper",
    "auth_session_config",
    "local_core",
]

_LAZY = {
    "AuthClock": "authclient.testing._clock",
    "SessionCredentials": "authclient.testing._credentials",
    "Transfer": "authclient.testing._credentials",
    "AuthHelper": "authclient.testing._helpers",
    "AsyncAuthHelper": "authclient.testing._helpers",
}


def __getattr__(name: str) -> Any:
    """The classes, imported on first use (so loading the plugin stays cheap)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


@pytest.fixture
def auth_clock() -> Iterator[AuthClock]:
    """The time of this test's local core and clients, and of claim values' time stamps
    (``max_age`` validators): ``auth_clock.advance(seconds)``."""
    from authclient import claims
    from authclient.testing._clock import AuthClock

    clock = AuthClock()
    real = claims._clock  # pyright: ignore[reportPrivateUsage]
    claims._clock = clock  # pyright: ignore[reportPrivateUsage]
    try:
        yield clock
    finally:
        claims._clock = real  # pyright: ignore[reportPrivateUsage]


@pytest.fixture
def auth_session_config() -> SessionConfig:
    """The ``SessionConfig`` of the bound clients (override this fixture to change it)."""
    from authclient.types import SessionConfig

    return SessionConfig()


@pytest.fixture
def local_core(auth_clock: AuthClock) -> Iterator[LocalCore]:
    """An in-process, in-memory local core, fresh for each test."""
    from authclient.localcore import LocalCore

    with LocalCore(clock=auth_clock) as core:
        yield core


@pytest.fixture
def auth_client(
    local_core: LocalCore, auth_clock: AuthClock, auth_session_config: SessionConfig
) -> Iterator[Client]:
    """A ``syncio.Client`` bound to ``local_core`` in-process, on ``auth_clock``."""
    from authclient.testing._bind import sync_client

    with sync_client(local_core, auth_clock, auth_session_config) as client:
        yield client


@pytest.fixture
def async_auth_client(
    local_core: LocalCore, auth_clock: AuthClock, auth_session_config: SessionConfig
) -> AsyncClient:
    """An ``asyncio.AsyncClient`` bound to the same core as ``auth_client``, on ``auth_clock``.

    A plain fixture (no event loop needed to make it); its transport holds no socket.
    """
    from authclient.testing._bind import async_client

    return async_client(local_core, auth_clock, auth_session_config)


@pytest.fixture
def auth_helper(auth_client: Client, auth_clock: AuthClock) -> AuthHelper:
    """Session helpers (``AuthHelper``) on ``auth_client``."""
    from authclient.testing._helpers import AuthHelper

    return AuthHelper(auth_client, auth_clock)


@pytest.fixture
def async_auth_helper(async_auth_client: AsyncClient, auth_clock: AuthClock) -> AsyncAuthHelper:
    """Session helpers (``AsyncAuthHelper``, awaited) on ``async_auth_client``."""
    from authclient.testing._helpers import AsyncAuthHelper

    return AsyncAuthHelper(async_auth_client, auth_clock)


@pytest.fixture
def auth_default_clients(
    local_core: LocalCore, auth_clock: AuthClock, auth_session_config: SessionConfig
) -> Iterator[None]:
    """The default clients of both flavors on ``local_core`` for this test (then reset).

    For apps that call the module-level functions, or give an adapter ``client=None``.
    """
    from authclient.testing._bind import init_default_clients, reset_default_clients

    init_default_clients(local_core, auth_clock, auth_session_config)
    try:
        yield
    finally:
        reset_default_clients()
