"""The local core as an ASGI 3 application."""

from __future__ import annotations

from collections.abc import Awaitable, MutableMapping
from typing import Any, Callable
from urllib.parse import parse_qsl

from authclient.localcore._wire import LocalRequest
from authclient.localcore.handler import LocalCore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class LocalCoreApp:
    """An ASGI 3 application answering HTTP requests with a ``LocalCore``.

    Serve it with any ASGI server, e.g. ``uvicorn.run(LocalCoreApp(LocalCore("core.db")))``.
    The core runs on the event loop's thread. Lifespan events are acknowledged; the core is not
    closed on shutdown, as it belongs to the caller.
    """

    def __init__(self, core: LocalCore) -> None:
        self.core = core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"the local core only speaks HTTP, not {scope['type']}")
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        query: dict[str, str] = {}
        for name, value in parse_qsl(
            scope["query_string"].decode("latin-1"), keep_blank_values=True
        ):
            query.setdefault(name, value)
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope["headers"]
        }
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


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
