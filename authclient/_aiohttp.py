"""The async flavor's own connections on asyncio, through aiohttp (the ``aiohttp`` extra).

Async-only, so it lives outside ``authclient/asyncio/`` (which the generator turns into sync
code); the transport reaches it from an ``if ASYNC:`` block. It is used only for the clients
authclient builds itself (never a user's ``http_client``), only on asyncio (trio keeps httpx),
and only when aiohttp is installed and ``AUTHCLIENT_AIOHTTP`` is not ``0``.

It keeps the httpx path's guarantees: the transport's deadline cancels the whole attempt (and
each connect and read has its own limit too), an answer stops being read once it passes the
size limit, and aiohttp's errors come out as the httpx errors the transport already sorts into
"not sent" (fail over), "timed out" and "sent but not answered". A session belongs to one event
loop: each loop gets its own, closed when the transport closes or when that loop shuts down.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import ssl
import time
from collections.abc import AsyncGenerator, Generator, Mapping
from typing import TYPE_CHECKING, Any, Callable, Optional
from urllib.parse import urlencode

import httpx

from authclient._protocol.config import ClientConfig
from authclient._protocol.wire import CoreRequest
from authclient.asyncio._network import AnswerTooLarge
from authclient.errors import ClientClosedError

if TYPE_CHECKING:
    import aiohttp

# trio depends on sniffio, so without sniffio nothing but asyncio can be running.
_sniffio: Any = importlib.import_module("sniffio") if importlib.util.find_spec("sniffio") else None

ENV_SWITCH = "AUTHCLIENT_AIOHTTP"
KEEPALIVE_SECONDS = 5.0  # httpx's default keep-alive expiry: a core may drop idle sockets early


def wanted() -> bool:
    """Whether a client built now should use aiohttp on asyncio (installed, and not turned off)."""
    if os.environ.get(ENV_SWITCH, "").strip().lower() in ("0", "false", "no", "off"):
        return False
    return importlib.util.find_spec("aiohttp") is not None


def on_asyncio() -> bool:
    """Whether the running task is an asyncio task (not trio, nor trio in guest mode)."""
    if _sniffio is None:
        return _running_loop() is not None
    try:
        return bool(_sniffio.current_async_library() == "asyncio")
    except _sniffio.AsyncLibraryNotFoundError:
        return False


class AiohttpConnections:
    """aiohttp sessions for one transport, one per event loop, and the exchange over them."""

    def __init__(self, ssl_context: Callable[[], ssl.SSLContext], connections: int) -> None:
        self._ssl_context = ssl_context
        self._connections = connections
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._session: Optional[aiohttp.ClientSession] = None
        # Each loop's session is closed by a suspended async generator that the loop finalises
        # when it shuts down (as in ``AsyncDefaultSlot``); kept referenced until then.
        self._guards: dict[int, AsyncGenerator[None, None]] = {}
        self._closed = False

    async def _current(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if loop is self._loop and self._session is not None:
            return self._session
        import aiohttp

        connector = aiohttp.TCPConnector(
            limit=self._connections,
            ssl=self._ssl_context(),
            keepalive_timeout=KEEPALIVE_SECONDS,
        )
        session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=True
        )
        guard = self._close_at_shutdown(session)
        await guard.asend(None)
        self._guards[id(session)] = guard
        self._loop, self._session = loop, session
        return session

    async def _close_at_shutdown(
        self, session: aiohttp.ClientSession
    ) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            self._forget(session)
            if not session.closed:
                await asyncio.shield(session.close())

    def _forget(self, session: aiohttp.ClientSession) -> None:
        self._guards.pop(id(session), None)
        if session is self._session:
            self._loop = self._session = None

    async def aclose(self) -> None:
        """Close this loop's session now; sessions of other loops close as their loops end."""
        self._closed = True
        session = self._session
        if session is None or self._loop is not _running_loop():
            return
        await session.close()
        guard = self._guards.get(id(session))  # gone if the loop is finalising it right now
        if guard is not None:
            # Let the guard finish now (its ``finally`` finds the session closed and does not
            # wait), so a closed client leaves nothing behind in a loop that runs on.
            with contextlib.suppress(StopAsyncIteration):
                await guard.asend(None)

    async def exchange(
        self,
        request: CoreRequest,
        url: str,
        headers: Mapping[str, str],
        config: ClientConfig,
        deadline: Optional[float],
    ) -> tuple[int, Mapping[str, str], bytes]:
        """Send ``request`` to ``url``; the status, headers and body, read within the size limit
        and ``deadline``. Raises httpx errors, ``AnswerTooLarge`` or ``ClientClosedError``.
        """
        import aiohttp

        if self._closed:
            raise ClientClosedError("this client has been closed")
        session = await self._current()
        limits = config.timeouts.for_attempt(time.monotonic(), deadline)
        timeout = aiohttp.ClientTimeout(
            total=None, connect=None, sock_connect=limits["connect"], sock_read=limits["read"]
        )
        if request.query:
            url = f"{url}?{urlencode(request.query)}"  # as httpx encodes ``params``
        max_size = config.max_response_size
        with _as_httpx_errors(session):
            async with session.request(
                request.method,
                url,
                data=request.body,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
            ) as response:
                declared = response.content_length
                if declared is not None and declared > max_size:
                    raise AnswerTooLarge
                if declared is not None and "content-encoding" not in response.headers:
                    content = await response.read()  # at most ``declared`` bytes
                else:
                    content = await _read_within(response.content, max_size, deadline)
                return response.status, response.headers, content


def _running_loop() -> Optional[asyncio.AbstractEventLoop]:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # trio
        return None


async def _read_within(
    stream: aiohttp.StreamReader, limit: int, deadline: Optional[float]
) -> bytes:
    """The (decoded) body, read as it comes; ``AnswerTooLarge`` once past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await stream.readany()
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise AnswerTooLarge
        chunks.append(chunk)
        if deadline is not None and time.monotonic() >= deadline:
            raise httpx.ReadTimeout("the call's deadline has passed")


@contextlib.contextmanager
def _as_httpx_errors(session: aiohttp.ClientSession) -> Generator[None, None, None]:
    """aiohttp's errors as the httpx errors of the same meaning (the message kept)."""
    import aiohttp

    try:
        yield
    except aiohttp.ClientError as exc:
        raise _translated(exc) from exc
    except RuntimeError:
        if session.closed:  # the client was closed while this call was in flight
            raise ClientClosedError("this client has been closed") from None
        raise


def _translated(exc: Any) -> httpx.HTTPError:
    import aiohttp

    message = str(exc)
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, DNS, TLS handshake: not sent
        return httpx.ConnectError(message)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(message)
    if isinstance(exc, (aiohttp.ClientOSError, aiohttp.ClientPayloadError)):
        return httpx.ReadError(message)
    return httpx.RemoteProtocolError(message)  # disconnected, or not a valid HTTP answer
