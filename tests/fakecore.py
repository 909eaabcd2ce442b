"""A tiny stand-in for the core's metadata endpoints, for transport-level tests.

It answers like the core does (CDI.md §2: shallow merge, top-level null deletes) and records
what it receives. It serves both respx (in-process) and a real loopback HTTP server.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx


@attrs.define
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@attrs.define
class FakeCore:
    versions: list[str] = attrs.Factory(lambda: ["2.21", "5.3", "5.4"])
    metadata: dict[str, dict[str, Any]] = attrs.Factory(dict)
    received: list[Received] = attrs.Factory(list)
    lock: threading.Lock = attrs.Factory(threading.Lock)

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        url = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        payload = json.loads(body) if body else None
        with self.lock:
            self.received.append(Received(method, url.path, query, headers, payload))
            return self._answer(method, url.path.split("/appid-x", 1)[-1], query, payload)

    def _answer(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if (method, path) == ("GET", "/apiversion"):
            return 200, {"versions": self.versions}
        if (method, path) == ("GET", "/recipe/user/metadata"):
            return 200, {"status": "OK", "metadata": self.metadata.get(query["userId"], {})}
        if (method, path) == ("PUT", "/recipe/user/metadata"):
            stored = dict(self.metadata.get(body["userId"], {}))
            for key, value in body["metadataUpdate"].items():
                stored.pop(key, None)
                if value is not None:
                    stored[key] = value
            self.metadata[body["userId"]] = stored
            return 200, {"status": "OK", "metadata": stored}
        if (method, path) == ("POST", "/recipe/user/metadata/remove"):
            self.metadata.pop(body["userId"], None)
            return 200, {"status": "OK"}
        return 404, "Not found"

    def respx_side_effect(self, request: httpx.Request) -> httpx.Response:
        target = request.url.raw_path.decode()
        status, answer = self.handle(request.method, target, dict(request.headers), request.content)
        if isinstance(answer, str):
            return httpx.Response(status, text=answer)
        return httpx.Response(status, json=answer)


@contextmanager
def serve(core: FakeCore) -> Iterator[str]:
    """Serve ``core`` over real HTTP/1.1 on a free loopback port; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _reply(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = core.handle(self.command, self.path, headers, body)
            data = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
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
