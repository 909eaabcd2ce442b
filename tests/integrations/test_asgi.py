"""AuthMiddleware as plain ASGI: what passes through, and when errors are answered."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any, Callable

import attrs
import httpx
import pytest

import authclient.asyncio
from authclient.asyncio import init
from authclient.errors import TryRefreshTokenError, UnauthorisedError
from authclient.integrations.asgi import (
    SCOPE_KEY,
    AuthMiddleware,
    RequestSessions,
    websocket_close_code,
)
from authclient.localcore import LocalCore, LocalCoreTransport
from tests.asyncio.conftest import new_app
from tests.integrations.conftest import API, CONFIG_A, Frontend, Tokens, cookie_attributes
from tests.integrations.websocket import websocket_messages

pytestmark = pytest.mark.anyio

Scope = MutableMapping[str, Any]


def raw_app(
    seen: list[Scope], raise_after_start: bool = False, raise_before_start: bool = False
) -> Callable[..., Any]:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        seen.append(scope)
        if scope["type"] == "lifespan":
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            return
        if raise_before_start:
            raise TryRefreshTokenError("expired")
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-app", b"1")]})
        if raise_after_start:
            raise UnauthorisedError("gone")
        await send({"type": "http.response.body", "body": b"hello"})

    return app


@pytest.fixture
def offline() -> AuthMiddleware:
    """A middleware whose client is never asked (no session is touched)."""
    return AuthMiddleware(raw_app([]), config=CONFIG_A)


async def test_lifespan_passes_through_untouched() -> None:
    """A lifespan scope reaches the app as it is, and the app answers it."""
    seen: list[Scope] = []
    middleware = AuthMiddleware(raw_app(seen), config=CONFIG_A)
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "lifespan.startup"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope: Scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    await middleware(scope, receive, send)
    assert seen == [scope] and SCOPE_KEY not in scope
    assert sent == [{"type": "lifespan.startup.complete"}]


async def test_the_app_sees_its_request_sessions_in_the_scope() -> None:
    """Each HTTP request carries its own RequestSessions under scope["authclient.web"]."""
    seen: list[Scope] = []
    middleware = AuthMiddleware(raw_app(seen), config=CONFIG_A)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=middleware), base_url=API
    ) as http:
        response = await http.get("/anything")
        await http.get("/anything")
    assert (response.status_code, response.text, response.headers["x-app"]) == (200, "hello", "1")
    first, second = (scope[SCOPE_KEY] for scope in seen)
    assert isinstance(first, RequestSessions) and first is not second


async def test_a_session_error_before_the_response_starts_is_answered() -> None:
    """A session error escaping the app before it answered becomes the FDI response."""
    middleware = AuthMiddleware(raw_app([], raise_before_start=True), config=CONFIG_A)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=middleware), base_url=API
    ) as http:
        response = await http.get("/")
    assert (response.status_code, response.json()) == (401, {"message": "try refresh token"})
    assert response.headers["content-type"] == "application/json; charset=utf-8"


async def test_a_session_error_after_the_response_started_is_raised() -> None:
    """Once the response has started, a session error is re-raised, not answered twice."""
    middleware = AuthMiddleware(raw_app([], raise_after_start=True), config=CONFIG_A)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=middleware), base_url=API
    ) as http:
        with pytest.raises(UnauthorisedError):
            await http.get("/")


async def test_other_errors_are_not_caught(offline: AuthMiddleware) -> None:
    """An error that is not a session outcome goes on to the server's error handling."""

    async def broken(scope: Scope, receive: Any, send: Any) -> None:
        raise ValueError("boom")

    middleware = AuthMiddleware(broken, config=CONFIG_A)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=middleware), base_url=API
    ) as http:
        with pytest.raises(ValueError, match="boom"):
            await http.get("/")


async def test_a_websocket_session_error_after_accept_closes_with_the_code() -> None:
    """A session error after the handshake still closes with 4401, never an ASGI error."""

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        raise UnauthorisedError("gone", clear_tokens=False)

    messages = await websocket_messages(AuthMiddleware(app, config=CONFIG_A), "/ws", {})
    assert messages == [
        {"type": "websocket.accept"},
        {"type": "websocket.close", "code": 4401, "reason": "unauthorised"},
    ]


async def test_the_endpoints_follow_the_configured_base_path() -> None:
    """With api_base_path="/api/auth" the refresh endpoint moves; /auth/... is the app's."""
    config = attrs.evolve(CONFIG_A, api_base_path="/api/auth")
    middleware = AuthMiddleware(raw_app([]), config=config)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=middleware), base_url=API
    ) as http:
        moved = await http.post("/api/auth/session/refresh")
        old = await http.post("/auth/session/refresh")
    assert (moved.status_code, moved.json()) == (401, {"message": "unauthorised"})
    assert cookie_attributes(moved, "sRefreshToken")["path"] == "/api/auth/session/refresh"
    assert (old.status_code, old.text) == (200, "hello")


def test_close_codes_follow_the_http_status() -> None:
    """The close code is 4000 + the HTTP status the same error gets."""
    assert [websocket_close_code(s) for s in (401, 403, 440)] == [4401, 4403, 4440]


@pytest.fixture
def default_client_on(web_core: LocalCore) -> Iterator[str]:
    """The default client bound to a fresh app of the test core (reset afterwards)."""
    uri = new_app(web_core)
    init(uri, http_client=httpx.AsyncClient(transport=LocalCoreTransport(web_core)))
    yield uri
    authclient.asyncio.reset()


async def test_client_none_uses_the_default_client(default_client_on: str) -> None:
    """AuthMiddleware(client=None) serves the refresh endpoint with the default client."""
    from tests.integrations.apps import fastapi_app

    app = fastapi_app(None, CONFIG_A, [])  # type: ignore[arg-type]
    frontend = Frontend(app, None)  # type: ignore[arg-type]
    tokens = await frontend.login("dora")
    response = await frontend.refresh(tokens)
    assert response.status_code == 200
    assert Tokens.of(response).access not in (None, tokens.access)


def test_import_authclient_imports_no_web_framework() -> None:
    """``import authclient`` (and its flavors and web layer) loads neither Starlette nor FastAPI."""
    code = (
        "import sys, authclient, authclient.asyncio, authclient.syncio, authclient.web;"
        "import authclient.integrations;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'fastapi')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_asgi_middleware_imports_no_web_framework() -> None:
    """The pure ASGI middleware works without Starlette or FastAPI installed."""
    code = (
        "import sys, authclient.integrations.asgi;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'fastapi')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
