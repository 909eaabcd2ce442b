"""A user's Starlette app on the default client (``client=None``), tested with the plugin."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from authclient.asyncio import get_user_metadata
from authclient.integrations import starlette as st
from authclient.integrations.asgi import AuthMiddleware
from authclient.testing import AuthHelper
from authclient.web import WebConfig
from tests.testing_plugin.apps import TestClient


@st.verify_session()
async def me(request: Request) -> JSONResponse:
    result = await get_user_metadata(request.auth.get_user_id())  # the default client
    return JSONResponse({"userId": request.user.identity, "plan": result.metadata.get("plan")})


# Built at import, as many apps are: the middleware uses the default client.
app = Starlette(
    routes=[Route("/me", me)],
    middleware=[
        Middleware(
            AuthMiddleware,
            client=None,
            config=WebConfig(api_domain="http://testserver", website_domain="http://testserver"),
        ),
        Middleware(AuthenticationMiddleware, backend=st.SessionBackend()),
    ],
)


@pytest.fixture
def web(auth_default_clients: None) -> TestClient:
    return TestClient(app)


def test_default_client_app_sees_the_seeded_user(web: TestClient, auth_helper: AuthHelper) -> None:
    """With auth_default_clients, an app on the default client uses the plugin's core."""
    auth_helper.seed_metadata("alice", {"plan": "pro"})
    auth_helper.log_in_as(web, "alice")
    assert web.get("/me").json() == {"userId": "alice", "plan": "pro"}


def test_expired_token_on_default_client(web: TestClient, auth_helper: AuthHelper) -> None:
    """The default clients read the plugin's clock too: expiry gives 401, refresh recovers."""
    auth_helper.log_in_as(web, "alice")
    auth_helper.expire_access_token()
    assert web.get("/me").status_code == 401
    assert web.post("/auth/session/refresh").status_code == 200
    assert web.get("/me").status_code == 200
