# Generated from authclient/asyncio/_default.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""The default client behind the module-level functions: from ``init(...)`` or the environment."""

from __future__ import annotations

import functools
import os
from typing import Callable, Optional

import httpx

from authclient._compat import DefaultSlot
from authclient._protocol.config import DEFAULT_MAX_RESPONSE_SIZE, TimeoutTypes
from authclient.syncio._client import Client
from authclient.syncio._transport import RequestHook
from authclient.types import Overrides, SessionConfig

_slot: DefaultSlot[Client] = DefaultSlot()
_factory: Optional[Callable[[], Client]] = None


def init(
    connection_uri: str = "http://localhost:3567",
    *,
    api_key: Optional[str] = None,
    timeout: TimeoutTypes = 10.0,
    max_retries: int = 2,
    cdi_version: Optional[str] = None,
    http_client: Optional[httpx.Client] = None,
    overrides: Optional[Overrides] = None,
    session: Optional[SessionConfig] = None,
    on_request: Optional[RequestHook] = None,
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
) -> None:
    """Configure the client the module-level functions use (same arguments as ``Client``).

    Call it once at start-up. Without it, ``AUTHCLIENT_CONNECTION_URI`` (default
    ``http://localhost:3567``) and ``AUTHCLIENT_API_KEY`` are read on first use.
    """
    global _factory
    factory = functools.partial(
        Client,
        connection_uri,
        api_key=api_key,
        timeout=timeout,
        max_retries=max_retries,
        cdi_version=cdi_version,
        http_client=http_client,
        overrides=overrides,
        session=session,
        on_request=on_request,
        max_response_size=max_response_size,
    )
    factory()  # check the arguments now, not at the first call (constructing does no I/O)
    _factory = factory
    _slot.reset()


def reset() -> None:
    """Forget ``init(...)`` and drop the default client.

    The next module-level call builds a new client from the environment, unless ``init`` is
    called again (for tests, and for code that must re-read its configuration). The dropped
    client is closed: in the blocking flavor at once, in the asynchronous flavor when its event
    loop ends (code still running in that loop may finish its calls with it).
    """
    global _factory
    _factory = None
    _slot.reset()


def _from_environment() -> Client:
    return Client(
        os.environ.get("AUTHCLIENT_CONNECTION_URI") or "http://localhost:3567",
        api_key=os.environ.get("AUTHCLIENT_API_KEY") or None,
    )


def default_client() -> Client:
    """The client behind the module-level functions, made on first use from ``init(...)`` or the
    environment (one per event loop here, closed with it; one per process in the other flavor)."""
    return _slot.get(_factory or _from_environment)


def current_default_client() -> Optional[Client]:
    """The default client if ``default_client()`` has made it already (here: in the running
    event loop), else None; never makes one."""
    return _slot.current()
