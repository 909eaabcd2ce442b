"""``Calls``: the requests a client sent, as they went over the wire; ``serve``: real HTTP.

``Calls`` is an httpx transport that records each request, then hands it to the transport it
wraps. It records wherever a request can be caught:

- in-process: ``httpx.AsyncClient(transport=Calls(uri, LocalCoreTransport(core)))`` (what
  ``app_client`` does, also around ``BreakableTransport`` or real HTTP to a real core);
- under respx: ``router.route(...).mock(side_effect=calls.handle_request)``;
- behind a real HTTP server: ``serve(Calls(uri, LocalCoreTransport(core)))``.

Unlike an ``on_request`` hook it sees what was actually sent: every header (the api key too,
and what a user-owned ``httpx`` client adds), the encoded query and the body bytes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Generator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional, Union
from urllib.parse import parse_qsl, urlsplit

import attrs
import httpx


@attrs.frozen
class Sent:
    """One request as it went over the wire: nothing redacted (this is test code)."""

    method: str
    url: str  # in full, with the query
    headers: Mapping[str, str]  # names in lower case
    body: Optional[bytes]  # None when empty

    @property
    def path(self) -> str:
        """The path on the wire, base path included."""
        return urlsplit(self.url).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.url).query))

    def json(self) -> Any:
        """The body, decoded; None without one."""
        return json.loads(self.body) if self.body else None


Inner = Union[httpx.BaseTransport, httpx.AsyncBaseTransport]


class Calls(list[str], httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Every request sent through it, as "METHOD /path" (``infos``: in full), then to ``inner``.

    The path is the one after ``uri``'s base path (if any), so a client on an app's URI
    (``.../appid-x``) records "GET /recipe/user/metadata" whatever host it used. Closing it
    closes ``inner``. Safe to share between threads.
    """

    def __init__(self, uri: str = "", inner: Optional[Inner] = None) -> None:
        super().__init__()
        self.uri = uri
        self.inner = inner
        self.infos: list[Sent] = []
        self._base_path = urlsplit(uri).path.rstrip("/")
        self._lock = threading.Lock()

    def bodies(self) -> list[Any]:
        """The body of each request, decoded (None for those without one)."""
        return [info.json() for info in self.infos]

    def clear(self) -> None:
        with self._lock:
            super().clear()
            self.infos.clear()

    def _record(self, request: httpx.Request) -> None:
        path = request.url.path
        if self._base_path and path.startswith(self._base_path + "/"):
            path = path[len(self._base_path) :]
        sent = Sent(
            request.method, str(request.url), dict(request.headers), request.content or None
        )
        with self._lock:
            self.append(f"{request.method} {path}")
            self.infos.append(sent)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self._record(request)
        if not isinstance(self.inner, httpx.BaseTransport):
            raise TypeError(f"Calls needs a sync transport to pass requests on, not {self.inner!r}")
        return self.inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self._record(request)
        if not isinstance(self.inner, httpx.AsyncBaseTransport):
            raise TypeError(
                f"Calls needs an async transport to pass requests on, not {self.inner!r}"
            )
        return await self.inner.handle_async_request(request)

    def close(self) -> None:
        if isinstance(self.inner, httpx.BaseTransport):
            self.inner.close()

    async def aclose(self) -> None:
        if isinstance(self.inner, httpx.AsyncBaseTransport):
            await self.inner.aclose()


@contextmanager
def serve(transport: httpx.BaseTransport) -> Generator[str, None, None]:
    """Serve ``transport`` over real HTTP/1.1 on a free loopback port; yields the base URL.

    A minimal server (no uvicorn needed): in front of ``LocalCoreTransport(core)``, or of a
    ``Calls`` around one to record what clients sent.
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _reply(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            request = httpx.Request(
                self.command,
                f"http://{self.headers.get('host', '127.0.0.1')}{self.path}",
                headers=[(k.lower(), v) for k, v in self.headers.items()],
                content=body,
            )
            answer = transport.handle_request(request)
            data = answer.read()
            self.send_response(answer.status_code)
            self.send_header("content-type", answer.headers.get("content-type", "text/plain"))
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = _reply

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
