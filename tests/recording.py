"""The local core, recording what it receives: for tests that look at requests on the wire.

It serves respx (in-process) and a minimal real HTTP/1.1 server (no uvicorn needed). An app
``x`` exists, for base-path tests (``/appid-x``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional
from urllib.parse import parse_qsl, urlsplit

import attrs
import httpx

from authclient.localcore import LocalCore, LocalRequest


@attrs.define
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


class _Metadata:
    """``core.metadata["alice"] = {...}`` stores it through the core itself."""

    def __init__(self, core: RecordingCore) -> None:
        self._core = core

    def __setitem__(self, user_id: str, metadata: dict[str, Any]) -> None:
        for path, body in (
            ("/recipe/user/metadata/remove", {"userId": user_id}),
            ("/recipe/user/metadata", {"userId": user_id, "metadataUpdate": metadata}),
        ):
            method = "POST" if path.endswith("remove") else "PUT"
            request = LocalRequest(method, path, {}, {}, json.dumps(body).encode())
            assert self._core.core.handle(request).status == 200


@attrs.define
class RecordingCore:
    """A ``LocalCore`` that records requests; ``versions`` makes /apiversion answer otherwise."""

    core: LocalCore = attrs.Factory(LocalCore)
    versions: Optional[list[str]] = None
    received: list[Received] = attrs.Factory(list)
    lock: threading.Lock = attrs.Factory(threading.Lock)

    def __attrs_post_init__(self) -> None:
        body = json.dumps({"appId": "x", "coreConfig": {}}).encode()
        request = LocalRequest("PUT", "/recipe/multitenancy/app/v2", {}, {}, body)
        assert self.core.handle(request).status == 200

    def __enter__(self) -> RecordingCore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.core.close()

    @property
    def metadata(self) -> _Metadata:
        return _Metadata(self)

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        url = urlsplit(target)
        query = dict(parse_qsl(url.query))
        with self.lock:
            payload = json.loads(body) if body else None
            self.received.append(Received(method, url.path, query, headers, payload))
        if self.versions is not None and url.path.endswith("/apiversion"):
            return (
                200,
                {"content-type": "application/json"},
                json.dumps({"versions": self.versions}).encode(),
            )
        answer = self.core.handle(LocalRequest(method, url.path, query, headers, body))
        return answer.status, dict(answer.headers), answer.body

    def respx_side_effect(self, request: httpx.Request) -> httpx.Response:
        status, headers, body = self.handle(
            request.method, request.url.raw_path.decode(), dict(request.headers), request.content
        )
        return httpx.Response(status, headers=headers, content=body)


@contextmanager
def serve(core: RecordingCore) -> Iterator[str]:
    """Serve ``core`` over real HTTP/1.1 on a free loopback port; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _reply(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer_headers, data = core.handle(self.command, self.path, headers, body)
            self.send_response(status)
            self.send_header("content-type", answer_headers.get("content-type", "text/plain"))
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
