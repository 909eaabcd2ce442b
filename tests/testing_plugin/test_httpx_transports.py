"""Apps behind httpx's own ASGI and WSGI transports, logged in with the plugin."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytest.importorskip("flask")
pytest.importorskip("starlette")

from flask import Flask
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from authclient.asyncio import AsyncClient
from authclient.integrations import asgi, flask, starlette
from authclient.syncio import Client
from authclient.testing import AsyncAuthHelper, AuthHelper, Transfer
from authclient.web import WebConfig

CONFIG = WebConfig(api_domain="http://app.test", website_domain="http://app.test")


def asgi_app(client: AsyncClient) -> Starlette:
    @starlette.verify_session()
    async def me(request: Request) -> JSONResponse:
        return JSONResponse({"userId": request.auth.get_user_id()})

    middleware = [Middleware(asgi.AuthMiddleware, client=client, config=CONFIG)]
    return Starlette(routes=[Route("/me", me)], middleware=middleware)


def wsgi_app(client: Client) -> Flask:
    app = Flask(__name__)
    flask.FlaskAuth(app, client=client, config=CONFIG)

    @app.get("/me")
    @flask.verify_session()
    def me() -> dict[str, Any]:
        return {"userId": flask.current_session.get_user_id()}

    return app


@pytest.fixture
def wsgi(auth_client: Client) -> httpx.Client:
    transport = httpx.WSGITransport(app=wsgi_app(auth_client))
    return httpx.Client(transport=transport, base_url="http://app.test")


@pytest.mark.anyio
@pytest.mark.parametrize("transfer", ["cookie", "header"])
async def test_asgi_transport_login(
    async_auth_client: AsyncClient, async_auth_helper: AsyncAuthHelper, transfer: Transfer
) -> None:
    """An httpx.AsyncClient on ASGITransport sends the session log_in_as gave it."""
    transport = httpx.ASGITransport(app=asgi_app(async_auth_client))
    async with httpx.AsyncClient(transport=transport, base_url="http://app.test") as web:
        await async_auth_helper.log_in_as(web, "alice", transfer=transfer)
        assert (await web.get("/me")).json() == {"userId": "alice"}


@pytest.mark.anyio
async def test_asgi_transport_expiry_and_refresh(
    async_auth_client: AsyncClient, async_auth_helper: AsyncAuthHelper
) -> None:
    """Async expiry: 401 try refresh, then the refresh endpoint recovers the session."""
    transport = httpx.ASGITransport(app=asgi_app(async_auth_client))
    async with httpx.AsyncClient(transport=transport, base_url="http://app.test") as web:
        await async_auth_helper.log_in_as(web, "alice")
        await async_auth_helper.expire_access_token()
        assert (await web.get("/me")).json() == {"message": "try refresh token"}
        assert (await web.post("/auth/session/refresh")).status_code == 200
        assert (await web.get("/me")).status_code == 200


@pytest.mark.parametrize("transfer", ["cookie", "header"])
def test_wsgi_transport_login(
    wsgi: httpx.Client, auth_helper: AuthHelper, transfer: Transfer
) -> None:
    """An httpx.Client on WSGITransport sends the session log_in_as gave it."""
    auth_helper.log_in_as(wsgi, "bob", transfer=transfer)
    assert wsgi.get("/me").json() == {"userId": "bob"}


def test_wsgi_transport_relogin_replaces_cookies(
    wsgi: httpx.Client, auth_helper: AuthHelper
) -> None:
    """Logging in again replaces the app-set cookies: one session, no duplicate cookies."""
    auth_helper.log_in_as(wsgi, "bob")
    assert wsgi.post("/auth/session/refresh").status_code == 200  # the app sets cookies
    auth_helper.log_in_as(wsgi, "carol")
    assert wsgi.get("/me").json() == {"userId": "carol"}
