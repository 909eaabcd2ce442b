"""Sessions in any WSGI application (Flask, Django, ...): ``AuthMiddleware``, the sync flavor.

Real blocking code from ``authclient.syncio``: no event loop is created or run, so it works
as it is under threads, gevent and eventlet workers. For each request the middleware

- answers ``POST {api_base_path}/session/refresh`` and ``POST {api_base_path}/signout``
  itself (the app never sees them);
- keeps the request's session state in ``environ["authclient.web"]`` (``request_sessions``),
  which ``verify_session`` / ``create_new_session`` of the Flask adapter use;
- writes the tokens that changed into the response when the app calls ``start_response``: a
  new session, a token the core replaced, ``merge_into_access_token_payload`` or
  ``revoke_session`` in the handler;
- answers a session error escaping the app call as FDI.md §5.4 says (one raised while the
  body is iterated, after the headers, propagates).

Paths are matched on ``SCRIPT_NAME + PATH_INFO``, the path the browser sees (the refresh
cookie's Path is one). CORS goes *outside* this middleware (a WSGI CORS layer wrapping it):
a framework's own CORS extension inside the app never sees the endpoints' preflights and
answers (FDI.md §8.20). Flask users who want flask-cors use ``FlaskAuth`` instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from http import HTTPStatus
from typing import Any, Callable, Optional, Protocol

from authclient._protocol.fdi.request import EnvironRequest
from authclient._protocol.fdi.rules import may_name_endpoint
from authclient.errors import SessionError
from authclient.syncio import Client
from authclient.syncio._request_sessions import RequestSessions
from authclient.syncio.web import WebApi, WebSessions
from authclient.web import ErrorHandlers, ResponseEffects, WebConfig, WebRequest

__all__ = [
    "ENVIRON_KEY",
    "AuthMiddleware",
    "RequestSessions",
    "request_sessions",
    "status_line",
    "web_request",
]

ENVIRON_KEY = "authclient.web"
Environ = dict[str, Any]
Headers = list[tuple[str, str]]


class StartResponse(Protocol):
    def __call__(
        self, status: str, headers: Headers, exc_info: Optional[Any] = ..., /
    ) -> Callable[[bytes], object]: ...


WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]


def request_sessions(environ: Environ) -> RequestSessions:
    """The ``RequestSessions`` in front of this app put in ``environ``; a clear error without."""
    sessions = environ.get(ENVIRON_KEY)
    if not isinstance(sessions, RequestSessions):
        raise RuntimeError(
            "no authclient AuthMiddleware in front of this app: wrap it with "
            "app.wsgi_app = authclient.integrations.wsgi.AuthMiddleware(app.wsgi_app, "
            "client=..., config=WebConfig(...)), or use the framework's adapter "
            "(authclient.integrations.flask.FlaskAuth, the Django AuthMiddleware)"
        )
    return sessions


def web_request(environ: Environ, original: Any = None) -> WebRequest:
    """The neutral view of a WSGI request (headers from ``HTTP_*``, ``CONTENT_TYPE`` and
    ``CONTENT_LENGTH``, read when asked for; the path is ``SCRIPT_NAME + PATH_INFO``)."""
    return EnvironRequest(environ, original)


def status_line(status: int) -> str:
    """``"401 Unauthorized"``: a WSGI status line."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


class AuthMiddleware:
    """Session endpoints, token writes and session-error answers for a WSGI app.

    ``client`` is the ``authclient.syncio.Client`` (``None``: the default client); ``config``
    the ``WebConfig``; ``overrides`` (``fn(WebApi) -> WebApi``) and ``error_handlers``
    (plain functions) customise the web layer as in ``WebSessions``.
    """

    def __init__(
        self,
        app: WSGIApp,
        *,
        config: WebConfig,
        client: Optional[Client] = None,
        overrides: Optional[Callable[[WebApi], WebApi]] = None,
        error_handlers: Optional[ErrorHandlers] = None,
    ) -> None:
        self.app = app
        self.web = WebSessions(client, config, overrides=overrides, error_handlers=error_handlers)

    def __repr__(self) -> str:
        return f"AuthMiddleware({self.app!r}, {self.web!r})"

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        def make_request(original: Any) -> WebRequest:
            if original is None:
                original = _framework_request(environ)
            return web_request(environ, original)

        sessions = RequestSessions(self.web, make_request)
        environ[ENVIRON_KEY] = sessions
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if may_name_endpoint(method, environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")):
            answer = self.web.handle_endpoint(sessions.request)
            if answer is not None:
                sessions.close()
                return _send_answer(start_response, answer)
        started = False

        def start_with_tokens(
            status: str, headers: Headers, exc_info: Optional[Any] = None
        ) -> Callable[[bytes], object]:
            nonlocal started
            started = True
            return start_response(status, sessions.finish().apply_headers(headers), exc_info)

        try:
            return _ClosingIterable(self.app(environ, start_with_tokens), sessions.close)
        except SessionError as error:
            answer = sessions.error_response(error)
            sessions.close()
            return _send_answer(start_response, answer, sys.exc_info() if started else None)


class _ClosingIterable:
    """The app's response, and ``on_close`` once the server closes it (PEP 3333): the request
    is over then, and its sessions let go of the environ (no reference cycle is left)."""

    __slots__ = ("_iterable", "_on_close")

    def __init__(self, iterable: Iterable[bytes], on_close: Callable[[], None]) -> None:
        self._iterable = iterable
        self._on_close = on_close

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._iterable)

    def close(self) -> None:
        try:
            close = getattr(self._iterable, "close", None)
            if close is not None:
                close()
        finally:
            self._on_close()


def _framework_request(environ: Environ) -> Any:
    """What ``user_context["_default"]["request"]`` shows for the middleware's own endpoints:
    a werkzeug request when the app already uses werkzeug (nothing is imported), else None
    (the web layer then shows the neutral ``WebRequest``)."""
    wrappers = sys.modules.get("werkzeug.wrappers")
    return None if wrappers is None else wrappers.Request(environ)


def _send_answer(
    start_response: StartResponse, answer: ResponseEffects, exc_info: Optional[Any] = None
) -> list[bytes]:
    body = answer.body or b""
    headers = answer.apply_headers([("content-length", str(len(body)))])
    start_response(status_line(answer.status or 500), headers, exc_info)
    return [body]
