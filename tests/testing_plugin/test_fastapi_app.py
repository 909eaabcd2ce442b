"""A user's FastAPI app tested with the plugin only: TestClient, no network, no port."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi import Depends, FastAPI, Request

from authclient.asyncio import AsyncClient, AsyncSession
from authclient.integrations.asgi import AuthMiddleware
from authclient.integrations.fastapi import create_new_session, verify_session
from authclient.testing import AuthHelper
from authclient.web import WebConfig
from tests.testing_plugin.apps import TestClient


def create_app(client: AsyncClient) -> FastAPI:
    """The app under test: its factory takes the client (the fixture's, in tests)."""
    app = FastAPI()
    config = WebConfig(api_domain="http://testserver", website_domain="http://testserver")
    app.add_middleware(AuthMiddleware, client=client, config=config)

    @app.post("/login")
    async def login(request: Request) -> dict[str, str]:
        session = await create_new_session(request, (await request.json())["userId"])
        return {"userId": session.get_user_id()}

    @app.get("/me")
    async def me(session: AsyncSession = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        result = await client.get_user_metadata(session.get_user_id())
        return {"userId": session.get_user_id(), "metadata": result.metadata}

    return app


@pytest.fixture
def web(async_auth_client: AsyncClient) -> TestClient:
    return TestClient(create_app(async_auth_client))


def test_logged_in_user_reaches_protected_route(web: TestClient, auth_helper: AuthHelper) -> None:
    """log_in_as makes the TestClient send alice's session cookies."""
    auth_helper.log_in_as(web, "alice")
    assert web.get("/me").json()["userId"] == "alice"


def test_header_mode_login(web: TestClient, auth_helper: AuthHelper) -> None:
    """In header mode the TestClient sends an Authorization header instead of cookies."""
    auth_helper.log_in_as(web, "bob", transfer="header")
    assert not web.cookies
    assert web.get("/me").json()["userId"] == "bob"


def test_without_login_is_unauthorised(web: TestClient) -> None:
    """A request with no session is answered 401."""
    assert web.get("/me").status_code == 401


def test_seeded_metadata_reaches_the_app(web: TestClient, auth_helper: AuthHelper) -> None:
    """Metadata seeded in the core is what the app reads."""
    auth_helper.seed_metadata("alice", {"preferences": {"theme": "dark"}})
    auth_helper.log_in_as(web, "alice")
    assert web.get("/me").json()["metadata"] == {"preferences": {"theme": "dark"}}


def test_expired_access_token_asks_for_refresh(web: TestClient, auth_helper: AuthHelper) -> None:
    """After expire_access_token the app answers 401 try refresh, and a refresh recovers."""
    auth_helper.log_in_as(web, "alice")
    auth_helper.expire_access_token()
    expired = web.get("/me")
    assert (expired.status_code, expired.json()) == (401, {"message": "try refresh token"})
    assert web.post("/auth/session/refresh").status_code == 200
    assert web.get("/me").json()["userId"] == "alice"


def test_replayed_refresh_token_is_theft(web: TestClient, auth_helper: AuthHelper) -> None:
    """The old refresh token, presented after the session moved on, revokes the session."""
    old = auth_helper.log_in_as(web, "alice")
    assert web.post("/auth/session/refresh").status_code == 200
    assert web.get("/me").status_code == 200  # the new token's first use moves the session on
    auth_helper.log_in_as(web, old)
    answer = web.post("/auth/session/refresh")
    assert (answer.status_code, answer.json()) == (401, {"message": "token theft detected"})
    assert not auth_helper.session_exists(old)


def test_login_route_makes_a_session_in_the_core(web: TestClient, auth_helper: AuthHelper) -> None:
    """A session the app's own login route creates lives in the plugin's core."""
    web.post("/login", json={"userId": "carol"}, headers={"st-auth-mode": "cookie"})
    assert web.get("/me").json()["userId"] == "carol"
    assert auth_helper.client.get_all_session_handles_for_user("carol")
