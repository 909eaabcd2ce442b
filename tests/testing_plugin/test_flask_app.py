"""A user's Flask app (``FlaskAuth``, an app factory) tested with the plugin only."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("flask")

from flask import Flask
from flask.testing import FlaskClient

from authclient.integrations.flask import FlaskAuth, current_session, verify_session
from authclient.syncio import Client
from authclient.testing import AuthHelper
from authclient.web import WebConfig


def create_app(client: Client) -> Flask:
    app = Flask(__name__)
    FlaskAuth(
        app,
        client=client,
        config=WebConfig(api_domain="http://localhost", website_domain="http://localhost"),
    )

    @app.get("/me")
    @verify_session()
    def me() -> dict[str, Any]:
        metadata = client.get_user_metadata(current_session.get_user_id()).metadata
        return {"userId": current_session.get_user_id(), "metadata": metadata}

    return app


@pytest.fixture
def web(auth_client: Client) -> FlaskClient:
    return create_app(auth_client).test_client()


def test_cookie_login(web: FlaskClient, auth_helper: AuthHelper) -> None:
    """log_in_as sets the session cookies on Flask's test client."""
    auth_helper.log_in_as(web, "alice")
    assert web.get("/me").get_json()["userId"] == "alice"


def test_header_login(web: FlaskClient, auth_helper: AuthHelper) -> None:
    """In header mode Flask's test client sends Authorization: Bearer on every request."""
    auth_helper.log_in_as(web, "bob", transfer="header")
    assert web.get_cookie("sAccessToken") is None
    assert web.get("/me").get_json()["userId"] == "bob"


def test_metadata_seeded_for_the_app(web: FlaskClient, auth_helper: AuthHelper) -> None:
    """seed_metadata puts what the app reads into the core."""
    auth_helper.seed_metadata("alice", {"theme": "dark"})
    auth_helper.log_in_as(web, "alice")
    assert web.get("/me").get_json()["metadata"] == {"theme": "dark"}


def test_expired_token_then_refresh(web: FlaskClient, auth_helper: AuthHelper) -> None:
    """An expired access token is 401 try refresh; the refresh endpoint recovers."""
    auth_helper.log_in_as(web, "alice")
    auth_helper.expire_access_token()
    expired = web.get("/me")
    assert (expired.status_code, expired.get_json()) == (401, {"message": "try refresh token"})
    assert web.post("/auth/session/refresh").status_code == 200
    assert web.get("/me").status_code == 200


def test_stolen_refresh_token(web: FlaskClient, auth_helper: AuthHelper) -> None:
    """Replaying the old refresh token at the app is token theft: 401, session revoked."""
    old = auth_helper.log_in_as(web, "alice")
    assert web.post("/auth/session/refresh").status_code == 200
    assert web.get("/me").status_code == 200
    auth_helper.log_in_as(web, old)
    answer = web.post("/auth/session/refresh")
    assert (answer.status_code, answer.get_json()) == (401, {"message": "token theft detected"})
    assert not auth_helper.session_exists(old)
