"""An httpx transport that hands requests straight to a ``LocalCore``: no socket, no server."""

from __future__ import annotations

from typing import Optional

import httpx

from authclient.localcore._wire import LocalRequest
from authclient.localcore.handler import LocalCore


class LocalCoreTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serve a ``LocalCore`` in-process, to ``httpx.Client`` and ``httpx.AsyncClient`` alike::

        core = LocalCore()
        with httpx.Client(transport=LocalCoreTransport(core), base_url="http://localcore") as http:
            http.get("/apiversion").json()  # {"versions": [..., "5.4"]}

    Any host name works. Without ``core``, the transport makes an in-memory one, which it
    closes when the client closes it. The core runs on the calling thread (in the async case,
    on the event loop: requests are quick, except the first that needs a new signing key).
    """

    def __init__(self, core: Optional[LocalCore] = None) -> None:
        self._owns_core = core is None
        self.core = LocalCore() if core is None else core

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._respond(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._respond(request)

    def _respond(self, request: httpx.Request) -> httpx.Response:
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
