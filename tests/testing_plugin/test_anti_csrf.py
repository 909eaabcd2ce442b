"""Overriding ``auth_session_config``: anti-CSRF tokens, in the credentials and through an app."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("flask")

from flask import Flask

from authclient.integrations.flask import FlaskAuth, current_session, verify_session
from authclient.syncio import Client
from authclient.testing import AuthHelper
from authclient.types import SessionConfig
from authclient.web import WebConfig


@pytest.fixture
def auth_session_config() -> SessionConfig:
    """This module's clients mint anti-CSRF tokens."""
    return SessionConfig(anti_csrf="VIA_TOKEN")


def test_credentials_carry_the_anti_csrf_token(auth_helper: AuthHelper) -> None:
    """The anti-csrf header is part of the credentials when the config asks for it."""
    made = auth_helper.session_for("alice")
    assert made.anti_csrf_token and made.headers["anti-csrf"] == made.anti_csrf_token


def test_app_checks_the_anti_csrf_token(auth_client: Client, auth_helper: AuthHelper) -> None:
    """log_in_as sends the anti-csrf header, so a POST passes the app's check."""
    app = Flask(__name__)
    FlaskAuth(
        app,
        client=auth_client,
        config=WebConfig(api_domain="http://localhost", website_domain="http://localhost"),
    )

    @app.post("/me")
    @verify_session()
    def me() -> dict[str, Any]:
        return {"userId": current_session.get_user_id()}

    web = app.test_client()
    auth_helper.log_in_as(web, "alice")
    assert web.post("/me").get_json() == {"userId": "alice"}
    web.environ_base.pop("HTTP_ANTI_CSRF")
    assert web.post("/me").status_code == 401
