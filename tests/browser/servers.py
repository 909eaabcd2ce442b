"""ASGI and WSGI apps served over HTTP on 127.0.0.1 from background threads, and request
recorders (one for each interface)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import uvicorn

STARTUP_TIMEOUT_SECONDS = 10.0

ASGIApp = Callable[..., Any]
WSGIApp = Callable[..., Any]


def listen() -> socket.socket:
    """A listening socket on a free port of 127.0.0.1 (the URL must be known before the app)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    return listener


def url_of(listener: socket.socket) -> str:
    return f"http://127.0.0.1:{listener.getsockname()[1]}"


class Served:
    """An ASGI app served by uvicorn on ``listener`` from a daemon thread until ``stop()``."""

    def __init__(self, app: ASGIApp, listener: socket.socket, name: str) -> None:
        self.url = url_of(listener)
        config = uvicorn.Config(
            app,
            lifespan="on",
            loop="asyncio",
            ws="none",
            http="h11",
            log_config=None,
            log_level="warning",
        )
        self._server = uvicorn.Server(config)
        self._listener = listener
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [listener]}, name=name, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{name}: the HTTP server did not start")
            time.sleep(0.005)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(STARTUP_TIMEOUT_SECONDS)
        self._listener.close()


class ServedWSGI:
    """A WSGI app served by werkzeug's threaded server on ``listener`` until ``stop()``."""

    def __init__(self, app: WSGIApp, listener: socket.socket, name: str) -> None:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Quiet(WSGIRequestHandler):
            def log(self, type: str, message: str, *args: Any) -> None:
                pass

        self.url = url_of(listener)
        host, port = listener.getsockname()
        self._server = make_server(
            host, port, app, threaded=True, request_handler=Quiet, fd=listener.fileno()
        )
        self._listener = listener
        self._thread = threading.Thread(target=self._server.serve_forever, name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(STARTUP_TIMEOUT_SECONDS)
        self._server.server_close()
        self._listener.close()


@dataclass(frozen=True)
class Exchange:
    """One request the backend answered, as the browser sent it."""

    method: str
    path: str
    status: int
    carried: str
    """How the request carried a session token: "header", "cookie", "both" or "none"."""


def _carried(headers: dict[bytes, bytes]) -> str:
    bearer = headers.get(b"authorization", b"").startswith(b"Bearer ")
    cookies = headers.get(b"cookie", b"").decode("latin-1")
    return _carried_by(bearer, cookies)


def _carried_by(bearer: bool, cookies: str) -> str:
    names = {part.split("=", 1)[0].strip() for part in cookies.split(";")}
    cookie = bool(names & {"sAccessToken", "sRefreshToken"})
    return {(True, True): "both", (True, False): "header", (False, True): "cookie"}.get(
        (bearer, cookie), "none"
    )


@dataclass(frozen=True)
class Backend:
    """A backend under test: its origin, and what it was sent."""

    name: str
    url: str
    recorder: Exchanges


class Exchanges:
    """The exchanges a recorder saw, in order (thread-safe)."""

    def __init__(self) -> None:
        self._exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            self._exchanges.append(exchange)

    def mark(self) -> int:
        """A position in the record; ``since(mark)`` gives what came after it."""
        with self._lock:
            return len(self._exchanges)

    def since(self, mark: int, *, preflights: bool = False) -> list[Exchange]:
        with self._lock:
            exchanges = self._exchanges[mark:]
        return [e for e in exchanges if preflights or e.method != "OPTIONS"]


class WSGIRecorder(Exchanges):
    """WSGI middleware that records every exchange, outermost (at ``start_response``)."""

    def __init__(self, app: WSGIApp) -> None:
        super().__init__()
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        bearer = environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")
        carried = _carried_by(bearer, environ.get("HTTP_COOKIE", ""))

        def recording_start(status: str, headers: Any, exc_info: Any = None) -> Any:
            # Recorded before the response leaves: the browser cannot be ahead of it.
            path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
            self.add(Exchange(environ["REQUEST_METHOD"], path, int(status[:3]), carried))
            return start_response(status, headers, exc_info)

        return self.app(environ, recording_start)


class Recorder(Exchanges):
    """Pure ASGI middleware that records every HTTP exchange, outermost, before CORS."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__()
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])

        async def recording_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                # Recorded before the response leaves: the browser cannot be ahead of it.
                exchange = Exchange(
                    scope["method"], scope["path"], message["status"], _carried(headers)
                )
                self.add(exchange)
            await send(message)

        await self.app(scope, receive, recording_send)
