"""Starlette: the seed's route and the session matrix, plus SessionBackend's own behaviour."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from authclient.integrations.asgi import EXPOSED_HEADERS, AuthMiddleware
from authclient.integrations.starlette import SessionBackend, SessionUser
from tests.integrations.apps import WEBSITE, starlette_app
from tests.integrations.conftest import CONFIG_A, Frontend, forged
from tests.integrations.matrix import SessionMatrix

pytestmark = pytest.mark.anyio


class TestStarlette(SessionMatrix):
    make_app = staticmethod(starlette_app)


def whoami_app(client: Any) -> Starlette:
    """A route that only reads request.user / request.auth (no decorator)."""

    async def whoami(request: Request) -> JSONResponse:
        user = request.user
        auth = request.auth
        return JSONResponse(
            {
                "authenticated": user.is_authenticated,
                "user": user.display_name,
                "handle": getattr(auth, "handle", None),
                "isSessionUser": isinstance(user, SessionUser),
            }
        )

    async def login(request: Request) -> JSONResponse:
        from authclient.integrations.starlette import create_new_session

        session = await create_new_session(request, "una")
        return JSONResponse({"handle": session.handle})

    middleware = [
        Middleware(AuthMiddleware, client=client, config=CONFIG_A),
        Middleware(AuthenticationMiddleware, backend=SessionBackend()),
    ]
    routes = [Route("/whoami", whoami), Route("/login", login, methods=["POST"])]
    return Starlette(routes=routes, middleware=middleware)


async def test_the_backend_makes_request_auth_the_session(
    auth_client_for: Callable[..., Any],
) -> None:
    """With a session, request.user is a SessionUser and request.auth the session."""
    async with auth_client_for() as client:
        frontend = Frontend(whoami_app(client), client)
        login = await frontend.call("POST", "/login", headers={"st-auth-mode": "header"})
        bearer = {"authorization": f"Bearer {login.headers['st-access-token']}"}
        response = await frontend.call("GET", "/whoami", headers=bearer)
    assert response.json() == {
        "authenticated": True,
        "user": "una",
        "handle": login.json()["handle"],
        "isSessionUser": True,
    }


async def test_the_backend_leaves_a_request_without_tokens_unauthenticated(
    auth_client_for: Callable[..., Any],
) -> None:
    """No tokens: Starlette's unauthenticated user, and the route still runs."""
    async with auth_client_for() as client:
        frontend = Frontend(whoami_app(client), client)
        response = await frontend.call("GET", "/whoami")
    assert response.json() == {
        "authenticated": False,
        "user": "",
        "handle": None,
        "isSessionUser": False,
    }


async def test_the_backend_answers_a_forged_token_with_try_refresh(
    auth_client_for: Callable[..., Any],
) -> None:
    """A forged token seen by the backend is 401 try refresh, not Starlette's 400."""
    async with auth_client_for() as client:
        frontend = Frontend(whoami_app(client), client)
        login = await frontend.call("POST", "/login", headers={"st-auth-mode": "header"})
        bearer = {"authorization": f"Bearer {forged(login.headers['st-access-token'])}"}
        response = await frontend.call("GET", "/whoami", headers=bearer)
    assert (response.status_code, response.json()) == (401, {"message": "try refresh token"})


async def test_a_cors_layer_with_its_own_expose_list_must_name_the_session_headers(
    auth_client_for: Callable[..., Any],
) -> None:
    """CORSMiddleware(expose_headers=...) replaces the list: EXPOSED_HEADERS keeps them in."""
    async with auth_client_for() as client:
        app = whoami_app(client)
        exposing = CORSMiddleware(
            app, allow_origins=[WEBSITE], expose_headers=["x-app", *EXPOSED_HEADERS]
        )
        frontend = Frontend(exposing, client)
        response = await frontend.call(
            "POST", "/login", headers={"st-auth-mode": "header", "origin": WEBSITE}
        )
    exposed = {
        name.strip() for name in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"x-app", "front-token", "st-access-token", "st-refresh-token"} <= exposed
