"""authclient's own connections, with a deadline on every connect, read and write, and a cap
on the bytes one answer may bring.

httpx's timeouts bound each network operation, not a whole request: a core that sends one byte
per second never trips a 1 s read timeout. Each of our single-connection httpx clients wraps its
network backend in an ``AsyncDeadlineBackend``; the transport calls ``start()`` before each
attempt, and every operation gets at most the time left. Both limits raise from the innermost
read, so the stack of httpx/httpcore stream generators above it unwinds and closes cleanly
(breaking out of ``aiter_bytes()`` instead leaves them for trio to warn about).
"""

from __future__ import annotations

import select
import socket
import ssl
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Optional

import httpx

if TYPE_CHECKING:
    import httpcore

# httpcore is imported when the first connection is made, not with authclient: importing it
# pulls in anyio (and trio, where installed), which users of the sync flavor need not pay for.
# So these classes follow httpcore's stream and backend interfaces without subclassing them.


class AnswerTooLarge(Exception):
    """More bytes arrived for one answer than its limit allows."""


class AsyncDeadlineStream:
    def __init__(self, stream: httpcore.AsyncNetworkStream, backend: AsyncDeadlineBackend) -> None:
        self._stream = stream
        self._backend = backend
        self._socket: Any = _NOT_LOOKED_UP

    async def read(self, max_bytes: int, timeout: Optional[float] = None) -> bytes:
        budget = self._backend.budget(timeout, "read")
        data = await self._stream.read(max_bytes, budget)
        self._backend.received(len(data))
        return data

    async def write(self, buffer: bytes, timeout: Optional[float] = None) -> None:
        budget = self._backend.budget(timeout, "write")
        await self._stream.write(buffer, budget)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> AsyncDeadlineStream:
        budget = self._backend.budget(timeout, "connect")
        stream = await self._stream.start_tls(ssl_context, server_hostname, budget)
        return AsyncDeadlineStream(stream, self._backend)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # httpcore asks before every request on a kept connection; anyio's streams build
            # a table of all their attributes for each lookup, so the socket is found once.
            sock = self._socket
            if sock is _NOT_LOOKED_UP:
                sock = self._socket = self._stream.get_extra_info("socket")
            return _is_readable(sock)
        return self._stream.get_extra_info(info)


_NOT_LOOKED_UP: Any = object()


def _is_readable(sock: Optional[socket.socket]) -> bool:
    """Whether a read of ``sock`` would return at once: on an idle connection, that the server
    closed it (or sent what it should not have). A socket without a descriptor counts as
    readable, as httpcore counts it: its next read ends the connection."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    if hasattr(select, "poll"):  # not under gevent's monkey-patching, nor on Windows
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([fd], [], [], 0)
    return bool(readable)


class AsyncDeadlineBackend:
    """A network backend whose operations all end by the deadline of the current attempt."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend
        self.deadline: Optional[float] = None
        self._byte_limit: Optional[int] = None
        self._received = 0

    def start(self, deadline: Optional[float], byte_limit: int) -> None:
        """Limits for the next attempt: done by ``deadline``, at most ``byte_limit`` bytes read."""
        self.deadline = deadline
        self._byte_limit = byte_limit
        self._received = 0

    def received(self, count: int) -> None:
        self._received += count
        if self._byte_limit is not None and self._received > self._byte_limit:
            raise AnswerTooLarge

    def budget(self, timeout: Optional[float], kind: str) -> Optional[float]:
        """The time one operation may take: its own timeout, cut to what is left of the deadline."""
        if self.deadline is None:
            return timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _timeout_error(kind)
        return left if timeout is None else min(timeout, left)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: Optional[float] = None,
        local_address: Optional[str] = None,
        socket_options: Optional[Iterable[Any]] = None,
    ) -> AsyncDeadlineStream:
        budget = self.budget(timeout, "connect")
        stream = await self._backend.connect_tcp(host, port, budget, local_address, socket_options)
        return AsyncDeadlineStream(stream, self)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: Optional[float] = None,
        socket_options: Optional[Iterable[Any]] = None,
    ) -> AsyncDeadlineStream:
        budget = self.budget(timeout, "connect")
        stream = await self._backend.connect_unix_socket(path, budget, socket_options)
        return AsyncDeadlineStream(stream, self)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def _timeout_error(kind: str) -> Exception:
    import httpcore

    errors = {
        "connect": httpcore.ConnectTimeout,
        "read": httpcore.ReadTimeout,
        "write": httpcore.WriteTimeout,
    }
    return errors[kind]("the call's deadline has passed")


def connection(
    ssl_context: ssl.SSLContext,
) -> tuple[httpx.AsyncClient, Optional[AsyncDeadlineBackend]]:
    """A single-connection httpx client, and the deadline backend its connection runs on.

    The backend is ``None`` if this httpx no longer keeps its pool where we look (then each
    operation is still bounded by its own timeout, and the deadline is checked between reads).
    """
    import httpcore

    transport = httpx.AsyncHTTPTransport(verify=ssl_context, limits=httpx.Limits(max_connections=1))
    pool = getattr(transport, "_pool", None)
    backend: Optional[AsyncDeadlineBackend] = None
    if isinstance(pool, httpcore.AsyncConnectionPool) and hasattr(pool, "_network_backend"):
        backend = AsyncDeadlineBackend(pool._network_backend)  # pyright: ignore[reportPrivateUsage]
        pool._network_backend = backend  # type: ignore[assignment]  # pyright: ignore[reportPrivateUsage, reportAttributeAccessIssue]
    return httpx.AsyncClient(transport=transport), backend
