"""An httpx transport that hands requests straight to a ``LocalCore``: no socket, no server."""

from __future__ import annotations

from typing import Optional

import httpx

from authclient.localcore._wire import LocalRequest, too_large_response
from authclient.localcore.handler import LocalCore


class LocalCoreTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serve a ``LocalCore`` in-process, to ``httpx.Client`` and ``httpx.AsyncClient`` alike::

        core = LocalCore()
        with httpx.Client(transport=LocalCoreTransport(core), base_url="http://localcore") as http:
            http.get("/apiversion").json()  # {"versions": [..., "5.4"]}

    Any host name works. Without ``core``, the transport makes an in-memory one, which it
    closes when the client closes it. The core runs on the calling thread (in the async case,
    on the event loop: requests are quick, except the first that needs a new signing key).
    A body over the core's ``max_body_bytes`` is answered with HTTP 413 as soon as the limit is
    passed, without reading the rest of it.
    """

    def __init__(self, core: Optional[LocalCore] = None) -> None:
        self._owns_core = core is None
        self.core = LocalCore() if core is None else core

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._declared_too_large(request):
            return self._too_large()
        chunks: list[bytes] = []
        size = 0
        stream = request.stream
        assert isinstance(stream, httpx.SyncByteStream), "a sync client sends a sync stream"
        for chunk in stream:
            size += len(chunk)
            if size > self.core.max_body_bytes:
                stream.close()
                return self._too_large()
            chunks.append(chunk)
        return self._respond(_with_body(request, b"".join(chunks)))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._declared_too_large(request):
            return self._too_large()
        chunks: list[bytes] = []
        size = 0
        stream = request.stream
        assert isinstance(stream, httpx.AsyncByteStream), "an async client sends an async stream"
        async for chunk in stream:
            size += len(chunk)
            if size > self.core.max_body_bytes:
                await stream.aclose()
                return self._too_large()
            chunks.append(chunk)
        return self._respond(_with_body(request, b"".join(chunks)))

    def _declared_too_large(self, request: httpx.Request) -> bool:
        length = request.headers.get("content-length", "")
        return length.isdigit() and int(length) > self.core.max_body_bytes

    def _too_large(self) -> httpx.Response:
        answer = too_large_response(self.core.max_body_bytes)
        return httpx.Response(answer.status, headers=dict(answer.headers), content=answer.body)

    def _respond(self, request: httpx.Request) -> httpx.Response:
        """Answer a request whose body has been read."""
        answer = self.core.handle(
            LocalRequest(
                method=request.method,
                path=request.url.path,
                query=dict(request.url.params),
                headers={name.lower(): value for name, value in request.headers.items()},
                body=request.content,
            )
        )
        return httpx.Response(answer.status, headers=dict(answer.headers), content=answer.body)

    def close(self) -> None:
        if self._owns_core:
            self.core.close()

    async def aclose(self) -> None:
        self.close()


def _with_body(request: httpx.Request, body: bytes) -> httpx.Request:
    """The same request with its body in memory (``request.content`` then works)."""
    return httpx.Request(
        request.method,
        request.url,
        headers=request.headers,
        content=body,
        extensions=request.extensions,
    )
