"""Sessions in Flask apps, the sync flavor (``pip install 'authclient[flask]'``).

Two ways in, the same routes either way::

    # A Flask extension: the endpoints are served inside Flask, so flask-cors covers them.
    auth = FlaskAuth(client=client, config=WebConfig(...))
    auth.init_app(app)                 # or FlaskAuth(app, client=..., config=...)

    # Or the plain WSGI middleware (CORS must then wrap it, outside Flask).
    app.wsgi_app = AuthMiddleware(app.wsgi_app, client=client, config=WebConfig(...))

    @app.post("/updateinfo")
    @verify_session()
    def updateinfo():
        return {"userId": current_session.get_user_id()}

``verify_session()`` answers a missing, expired or forged session itself (401 try refresh /
unauthorised, 403 for an invalid claim), also when the session fails inside the view.
``current_session`` is the verified session of the request (falsy when
``session_required=False`` found none). The tokens that change in the view (a new session,
``merge_into_access_token_payload``, ``revoke_session``) go into the view's response.
``FlaskAuth`` answers ``OPTIONS`` on the endpoints' paths with 200, for a CORS extension of the
app (flask-cors) to decorate: a browser's preflight for the refresh call needs a 2xx.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable
from typing import Any, Callable, Optional, TypeVar, cast

from flask import Flask, Request, Response, current_app, g, request
from werkzeug.local import LocalProxy

from authclient._protocol.fdi.rules import match_endpoint, may_name_endpoint
from authclient.errors import SessionError
from authclient.integrations.wsgi import (
    ENVIRON_KEY,
    AuthMiddleware,
    RequestSessions,
    request_sessions,
    web_request,
)
from authclient.syncio import Client, Session
from authclient.syncio.web import WebApi, WebSessions
from authclient.web import ErrorHandlers, ResponseEffects, WebConfig

__all__ = [
    "AuthMiddleware",
    "FlaskAuth",
    "create_new_session",
    "current_session",
    "verify_session",
]

V = TypeVar("V", bound=Callable[..., Any])  # a view: its type is kept (it may also answer)
_SESSION_KEY = "_authclient_session"
_MISSING = object()


class FlaskAuth:
    """A Flask extension for sessions: ``FlaskAuth(app, ...)`` or ``init_app(app)`` later.

    The arguments are ``AuthMiddleware``'s. Before each request it sets up the request's
    sessions and answers the refresh and sign-out endpoints; after it, it writes the tokens
    that changed; a ``SessionError`` escaping a view is answered as FDI.md §5.4 says. Behind
    an ``AuthMiddleware`` (which then serves the endpoints) it only writes tokens.
    """

    def __init__(
        self,
        app: Optional[Flask] = None,
        *,
        config: WebConfig,
        client: Optional[Client] = None,
        overrides: Optional[Callable[[WebApi], WebApi]] = None,
        error_handlers: Optional[ErrorHandlers] = None,
    ) -> None:
        self.web = WebSessions(client, config, overrides=overrides, error_handlers=error_handlers)
        if app is not None:
            self.init_app(app)

    def __repr__(self) -> str:
        return f"FlaskAuth({self.web!r})"

    def init_app(self, app: Flask) -> None:
        """Register the extension's hooks on ``app`` (``app.extensions["authclient"]``)."""
        app.extensions["authclient"] = self
        app.before_request(self._before_request)
        app.after_request(self._after_request)
        app.register_error_handler(SessionError, self._on_session_error)

    def _before_request(self) -> Optional[Response]:
        original = _request_object()
        environ = original.environ
        if ENVIRON_KEY in environ:  # an AuthMiddleware in front serves the endpoints
            return None
        web = self.web
        sessions = RequestSessions(
            web, lambda given: web_request(environ, original if given is None else given)
        )
        environ[ENVIRON_KEY] = sessions
        method = original.method
        if method == "OPTIONS":
            config = web.config
            endpoint = match_endpoint(
                sessions.request,
                config.base_path,
                gateway_path=config.api_gateway_path,
                disabled=config.endpoints_disabled(),
                any_method=True,
            )
            if endpoint is not None:
                return current_app.response_class(status=200, headers={"Allow": "POST, OPTIONS"})
            return None
        if not may_name_endpoint(
            method, environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        ):
            return None
        answer = web.handle_endpoint(sessions.request)
        return None if answer is None else _response(answer)

    def _after_request(self, response: Response) -> Response:
        sessions = _request_object().environ.get(ENVIRON_KEY)
        if isinstance(sessions, RequestSessions):
            apply_effects(response, sessions.finish())
            if sessions.web is self.web:  # not an AuthMiddleware's in front, which closes its own
                sessions.close()  # Flask runs this hook for error responses too
        return response

    def _on_session_error(self, error: SessionError) -> Response:
        return _response(request_sessions(request.environ).error_response(error))


def apply_effects(response: Response, effects: ResponseEffects) -> None:
    """Write ``effects`` into a Flask (werkzeug) response's headers."""
    if effects.operations:
        headers = effects.apply_headers(response.headers.to_wsgi_list())
        response.headers.clear()
        response.headers.extend(headers)


def _response(answer: ResponseEffects) -> Response:
    response = current_app.response_class(answer.body or b"", status=answer.status or 500)
    apply_effects(response, answer)
    return response


def _request_object() -> Request:
    return cast(Request, request._get_current_object())  # type: ignore[attr-defined]


def verify_session(
    session_required: bool = True,
    anti_csrf_check: Optional[bool] = None,
    check_database: bool = False,
    override_global_claim_validators: Optional[Callable[..., Any]] = None,
) -> Callable[[V], V]:
    """A view decorator: verify the request's session, then ``current_session`` is it.

    A session error (no session, expired or forged tokens, an invalid claim, the session
    gone inside the view) is answered as the frontend expects. With
    ``session_required=False`` a request without tokens reaches the view, and
    ``current_session`` is falsy. ``anti_csrf_check=None`` checks every method but GET;
    ``check_database=True`` also asks the core whether the session still exists. Async views
    work too (Flask runs them in its own loop; the session is the sync flavor's).
    """
    options: dict[str, Any] = {
        "session_required": session_required,
        "anti_csrf_check": anti_csrf_check,
        "check_database": check_database,
        "override_global_claim_validators": override_global_claim_validators,
    }

    def decorate(view: V) -> V:
        if inspect.iscoroutinefunction(view):
            return cast(V, _decorate_async(view, options))

        @functools.wraps(view)
        def verified(*args: Any, **kwargs: Any) -> Any:
            original = _request_object()
            sessions = request_sessions(original.environ)
            try:
                setattr(g, _SESSION_KEY, sessions.verify_session(original, **options))
                return view(*args, **kwargs)
            except SessionError as error:
                return _response(sessions.error_response(error))

        return cast(V, verified)

    return decorate


def _decorate_async(
    view: Callable[..., Awaitable[Any]], options: dict[str, Any]
) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(view)
    async def verified(*args: Any, **kwargs: Any) -> Any:
        original = _request_object()
        sessions = request_sessions(original.environ)
        try:
            setattr(g, _SESSION_KEY, sessions.verify_session(original, **options))
            return await view(*args, **kwargs)
        except SessionError as error:
            return _response(sessions.error_response(error))

    return verified


def _current_session() -> Optional[Session]:
    try:
        session = getattr(g, _SESSION_KEY, _MISSING)
    except RuntimeError:  # outside an application context
        session = _MISSING
    if session is _MISSING:
        raise RuntimeError(
            "current_session is set by @verify_session(): decorate the view with it "
            "(and use current_session inside a request)"
        )
    return cast(Optional[Session], session)


current_session: Session = cast(Session, LocalProxy(_current_session))
"""The session ``@verify_session()`` verified for this request (falsy when none was needed
and none was found)."""


def create_new_session(
    request: Request,
    user_id: str,
    access_token_payload: Optional[dict[str, Any]] = None,
    session_data_in_database: Optional[dict[str, Any]] = None,
    *,
    tenant_id: str = "public",
    user_context: Optional[dict[str, Any]] = None,
) -> Session:
    """Start a session for ``user_id``; its tokens go into this request's response.

    ``request`` is Flask's ``request``. Cookies or headers as the frontend asks
    (``st-auth-mode``) or ``WebConfig`` says.
    """
    unproxied = getattr(request, "_get_current_object", None)
    original = unproxied() if callable(unproxied) else request
    return request_sessions(request.environ).create_new_session(
        original,
        user_id,
        access_token_payload,
        session_data_in_database,
        tenant_id=tenant_id,
        user_context=user_context,
    )
