"""Sessions in any ASGI application (FastAPI, Starlette, ...): ``AuthMiddleware``.

Pure ASGI (no ``BaseHTTPMiddleware``): streaming responses, background tasks, lifespan and
other scopes pass through untouched. For each HTTP request the middleware

- answers ``POST {api_base_path}/session/refresh`` and ``POST {api_base_path}/signout``
  itself (the app never sees them);
- keeps the request's session state in ``scope["authclient.web"]`` (``request_sessions``),
  which ``verify_session`` / ``create_new_session`` of the FastAPI and Starlette adapters use;
- writes the tokens that changed into the response when it starts: a new session, a token the
  core replaced, ``merge_into_access_token_payload`` or ``revoke_session`` in the handler;
- answers a session error (``TryRefreshTokenError``, ``UnauthorisedError``, ...) escaping the
  app as FDI.md §5.4 says, if the response has not started (after that it is re-raised).

Add it with ``app.add_middleware(AuthMiddleware, client=..., config=WebConfig(...))``, which
puts it inside Starlette's error middleware and outside the routes. CORS goes *outside* it
(``add_middleware(CORSMiddleware, ...)`` after this one, or first in ``middleware=[...]``):
the refresh endpoint's preflight and answers must get CORS headers too. If the CORS layer
sets ``expose_headers``, list ``EXPOSED_HEADERS`` there: Starlette's ``CORSMiddleware``
replaces the header the session layer appends to.

WebSocket connections are authenticated by header or cookie when the app asks (a dependency,
``SessionBackend``). A session error closes the connection with code ``4000 + status``, the
HTTP status the same error gets (``4401`` by default for try-refresh, unauthorised and theft;
``4403`` for an invalid claim), and the FDI message (e.g. ``try refresh token``) as reason.
Tokens that change during the handshake go into the ``websocket.accept`` headers.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Iterable, MutableMapping
from typing import Any, Callable, Optional

from authclient._protocol.fdi.rules import may_name_endpoint
from authclient.asyncio import AsyncClient
from authclient.asyncio._request_sessions import AsyncRequestSessions as RequestSessions
from authclient.asyncio.web import AsyncWebApi, AsyncWebSessions
from authclient.errors import SessionError
from authclient.web import ErrorHandlers, ResponseEffects, WebConfig, WebRequest

__all__ = [
    "EXPOSED_HEADERS",
    "SCOPE_KEY",
    "WEBSOCKET_CLOSE_BASE",
    "AuthMiddleware",
    "RequestSessions",
    "request_sessions",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SCOPE_KEY = "authclient.web"
WEBSOCKET_CLOSE_BASE = 4000
EXPOSED_HEADERS = ("front-token", "st-access-token", "st-refresh-token", "anti-csrf")
_REASON_LIMIT = 123  # bytes a WebSocket close reason may have


def request_sessions(scope: Scope) -> RequestSessions:
    """The ``RequestSessions`` the middleware put in ``scope``; a clear error without it."""
    sessions = scope.get(SCOPE_KEY)
    if not isinstance(sessions, RequestSessions):
        raise RuntimeError(
            "no authclient AuthMiddleware in front of this app: add it with "
            "app.add_middleware(authclient.integrations.asgi.AuthMiddleware, "
            "client=..., config=WebConfig(...))"
        )
    return sessions


class AuthMiddleware:
    """Session endpoints, token writes and session-error answers for an ASGI app.

    ``client`` is the ``AsyncClient`` (``None``: the default client); ``config`` the
    ``WebConfig``; ``overrides`` (``fn(AsyncWebApi) -> AsyncWebApi``) and ``error_handlers``
    customise the web layer as in ``AsyncWebSessions``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        config: WebConfig,
        client: Optional[AsyncClient] = None,
        overrides: Optional[Callable[[AsyncWebApi], AsyncWebApi]] = None,
        error_handlers: Optional[ErrorHandlers] = None,
    ) -> None:
        self.app = app
        self.web = AsyncWebSessions(
            client, config, overrides=overrides, error_handlers=error_handlers
        )

    def __repr__(self) -> str:
        return f"AuthMiddleware({self.app!r}, {self.web!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind != "http":
            if kind == "websocket":
                await self._websocket(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        method = scope["method"]
        sessions = self._sessions(scope, receive, method)
        if may_name_endpoint(method, scope["path"]):
            answer = await self.web.handle_endpoint(sessions.request)
            if answer is not None:
                sessions.close()
                await _send_answer(send, answer)
                return
        started = False

        async def send_with_tokens(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = _with_effects(message, sessions.finish())
            await send(message)

        try:
            await self.app(scope, receive, send_with_tokens)
        except SessionError as error:
            if started:
                raise
            await _send_answer(send, await self.web.error_response(sessions.request, error))
        finally:
            sessions.close()

    def _sessions(self, scope: Scope, receive: Receive, method: str) -> RequestSessions:
        def make_request(original: Any) -> WebRequest:
            if original is None:
                original = _framework_request(scope, receive)
            return WebRequest(method, scope["path"], scope["headers"], original)

        sessions = RequestSessions(self.web, make_request)
        scope[SCOPE_KEY] = sessions
        return sessions

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        sessions = self._sessions(scope, receive, "GET")  # the handshake is a GET
        closed = False

        async def send_with_tokens(message: Message) -> None:
            nonlocal closed
            kind = message["type"]
            if kind == "websocket.accept":
                message = _with_effects(message, sessions.finish())
            elif kind in ("websocket.close", "websocket.http.response.start"):
                closed = True
            await send(message)

        try:
            await self.app(scope, receive, send_with_tokens)
        except SessionError as error:
            if closed:
                raise
            answer = await self.web.error_response(sessions.request, error)
            await send(
                {
                    "type": "websocket.close",
                    "code": websocket_close_code(answer.status or 500),
                    "reason": _reason(answer.body),
                }
            )
        finally:
            sessions.close()


def websocket_close_code(status: int) -> int:
    """The close code for a session error answered with HTTP ``status`` over HTTP."""
    return WEBSOCKET_CLOSE_BASE + status if 0 < status < 1000 else WEBSOCKET_CLOSE_BASE


def _framework_request(scope: Scope, receive: Receive) -> Any:
    """What ``user_context["_default"]["request"]`` shows for the middleware's own endpoints:
    a Starlette request when the app already uses Starlette (nothing is imported), else None
    (the web layer then shows the neutral ``WebRequest``)."""
    requests = sys.modules.get("starlette.requests")
    if requests is None:
        return None
    if scope["type"] == "http":
        return requests.Request(scope, receive)
    return requests.HTTPConnection(scope)


def _with_effects(message: Message, effects: ResponseEffects) -> Message:
    if not effects.operations:
        return message
    headers: Iterable[tuple[bytes, bytes]] = message.get("headers", ())
    return {**message, "headers": effects.apply_raw_headers(headers)}


async def _send_answer(send: Send, answer: ResponseEffects) -> None:
    body = answer.body or b""
    headers = answer.apply_raw_headers([(b"content-length", str(len(body)).encode())])
    await send({"type": "http.response.start", "status": answer.status or 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _reason(body: Optional[bytes]) -> str:
    try:
        message = json.loads(body or b"{}").get("message", "")
    except (ValueError, AttributeError):
        message = ""
    text = message if isinstance(message, str) else ""
    return text.encode()[:_REASON_LIMIT].decode(errors="ignore")
