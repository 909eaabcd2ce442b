"""The local core as an ASGI 3 application."""

from __future__ import annotations

from collections.abc import Awaitable, MutableMapping
from typing import Any, Callable, Optional, Union
from urllib.parse import parse_qsl

from authclient.localcore._wire import LocalRequest, LocalResponse, too_large_response
from authclient.localcore.handler import LocalCore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class LocalCoreApp:
    """An ASGI 3 application answering HTTP requests with a ``LocalCore``.

    Serve it with any ASGI server, e.g. ``uvicorn.run(LocalCoreApp(LocalCore("core.db")))``.
    The core runs on the event loop's thread. A body over the core's ``max_body_bytes`` is
    answered with HTTP 413 as soon as that is known (from Content-Length, or while reading),
    and the rest is not read. Lifespan events are acknowledged; the core is not closed on
    shutdown, as it belongs to the caller.
    """

    def __init__(self, core: LocalCore) -> None:
        self.core = core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"the local core only speaks HTTP, not {scope['type']}")
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            # The first of repeated headers counts, as in the real core (Tomcat's getHeader).
            headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
        body = await _read_body(receive, headers.get("content-length"), self.core.max_body_bytes)
        if body is None:
            return
        if isinstance(body, LocalResponse):
            answer = body
        else:
            query: dict[str, str] = {}
            for name, value in parse_qsl(
                scope["query_string"].decode("latin-1"), keep_blank_values=True
            ):
                query.setdefault(name, value)
            answer = self.core.handle(
                LocalRequest(scope["method"], scope["path"], query, headers, body)
            )
        await send(
            {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [
                    (k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer.body})


async def _read_body(
    receive: Receive, content_length: Optional[str], limit: int
) -> Union[bytes, LocalResponse, None]:
    """The request body; a 413 answer as soon as it is known to exceed ``limit`` (the rest is
    not read); ``None`` if the client went away."""
    if content_length is not None and content_length.isdigit() and int(content_length) > limit:
        return too_large_response(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return too_large_response(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
