"""Sessions in Starlette apps (``pip install 'authclient[starlette]'``).

::

    app = Starlette(routes=..., middleware=[
        Middleware(CORSMiddleware, ...),                  # outermost: see asgi's docstring
        Middleware(AuthMiddleware, client=client, config=WebConfig(...)),
        Middleware(AuthenticationMiddleware, backend=SessionBackend()),
    ])

``SessionBackend`` makes ``request.auth`` the request's ``AsyncSession`` and ``request.user`` a
``SessionUser`` (when there is no session: Starlette's ``AuthCredentials()`` and
``UnauthenticatedUser()``), on HTTP and WebSocket connections alike (header or cookie). It
never requires a session; ``@verify_session()`` on an endpoint does, answering a missing one
with 401 as the frontend expects (Starlette's ``requires()`` answers 403, which the frontend
reads as an invalid claim, and looks for scopes a session does not have).

``authclient.integrations.asgi.AuthMiddleware`` must be in front: it serves the refresh and
sign-out endpoints, writes the tokens and answers the session errors raised here.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable
from typing import Any, Callable, Optional, TypeVar, cast

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    BaseUser,
    UnauthenticatedUser,
)
from starlette.requests import HTTPConnection
from typing_extensions import ParamSpec

from authclient.asyncio import AsyncSession
from authclient.integrations.asgi import request_sessions

__all__ = ["SessionBackend", "SessionUser", "create_new_session", "verify_session"]

P = ParamSpec("P")
R = TypeVar("R")


class SessionUser(BaseUser):
    """``request.user`` for a request with a session: its user id, and the session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def __repr__(self) -> str:
        return f"SessionUser({self.session.user_id!r})"

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.session.user_id

    @property
    def identity(self) -> str:
        return self.session.user_id


class SessionBackend(AuthenticationBackend):
    """A Starlette ``AuthenticationBackend``: ``request.auth`` is the session, if any.

    The options are ``verify_session``'s. A request without session tokens is
    unauthenticated; an expired or forged token raises the session error that
    ``AuthMiddleware`` answers (401 try refresh, or close code 4401 on a WebSocket).
    """

    def __init__(
        self,
        *,
        anti_csrf_check: Optional[bool] = None,
        check_database: bool = False,
        override_global_claim_validators: Optional[Callable[..., Any]] = None,
    ) -> None:
        self.anti_csrf_check = anti_csrf_check
        self.check_database = check_database
        self.override_global_claim_validators = override_global_claim_validators

    async def authenticate(
        self, conn: HTTPConnection
    ) -> Optional[tuple[AuthCredentials, BaseUser]]:
        session = await request_sessions(conn.scope).verify_session(
            conn,
            session_required=False,
            anti_csrf_check=self.anti_csrf_check,
            check_database=self.check_database,
            override_global_claim_validators=self.override_global_claim_validators,
        )
        if session is None:
            return None
        # Starlette types request.auth as Any: the session stands where credentials would.
        return cast(AuthCredentials, session), SessionUser(session)


def verify_session(
    session_required: bool = True,
    anti_csrf_check: Optional[bool] = None,
    check_database: bool = False,
    override_global_claim_validators: Optional[Callable[..., Any]] = None,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """An endpoint decorator: verify the session first, then ``request.auth`` is it.

    Works on function and method endpoints (HTTP or WebSocket). With
    ``session_required=False`` a request without tokens reaches the endpoint unauthenticated.
    """

    def decorate(endpoint: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(endpoint)
        async def verified(*args: P.args, **kwargs: P.kwargs) -> R:
            conn = _connection(endpoint, (*args, *kwargs.values()))
            session = await request_sessions(conn.scope).verify_session(
                conn,
                session_required=session_required,
                anti_csrf_check=anti_csrf_check,
                check_database=check_database,
                override_global_claim_validators=override_global_claim_validators,
            )
            if session is not None:
                conn.scope["auth"], conn.scope["user"] = session, SessionUser(session)
            elif "auth" not in conn.scope:
                conn.scope["auth"], conn.scope["user"] = AuthCredentials(), UnauthenticatedUser()
            return await endpoint(*args, **kwargs)

        return verified

    return decorate


def _connection(endpoint: Callable[..., Any], values: tuple[Any, ...]) -> HTTPConnection:
    for value in values:
        if isinstance(value, HTTPConnection):
            return cast(HTTPConnection, value)
    raise TypeError(f"{endpoint.__qualname__} takes no request or websocket")


async def create_new_session(
    request: HTTPConnection,
    user_id: str,
    access_token_payload: Optional[dict[str, Any]] = None,
    session_data_in_database: Optional[dict[str, Any]] = None,
    *,
    tenant_id: str = "public",
    user_context: Optional[dict[str, Any]] = None,
) -> AsyncSession:
    """Start a session for ``user_id``; its tokens go into this request's response."""
    return await request_sessions(request.scope).create_new_session(
        request,
        user_id,
        access_token_payload,
        session_data_in_database,
        tenant_id=tenant_id,
        user_context=user_context,
    )
