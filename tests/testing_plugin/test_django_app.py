"""A user's Django project tested with the plugin only: Django's test Client, no network."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("django")

from django.test import Client as DjangoClient

from authclient import asyncio as aio
from authclient import syncio
from authclient.testing import AuthHelper
from tests.testing_plugin.django_app import project


@pytest.fixture
def web(
    auth_client: syncio.Client, async_auth_client: aio.AsyncClient, auth_default_clients: None
) -> Iterator[DjangoClient]:
    with project(auth_client, async_auth_client):
        yield DjangoClient()


def test_cookie_login(web: DjangoClient, auth_helper: AuthHelper) -> None:
    """log_in_as sets the session cookies on Django's test Client."""
    auth_helper.log_in_as(web, "alice")
    assert web.get("/me").json()["userId"] == "alice"


def test_header_login(web: DjangoClient, auth_helper: AuthHelper) -> None:
    """In header mode Django's test Client sends Authorization: Bearer by default."""
    auth_helper.log_in_as(web, "bob", transfer="header")
    assert "sAccessToken" not in web.cookies
    assert web.get("/me").json()["userId"] == "bob"


def test_metadata_seeded_for_the_view(web: DjangoClient, auth_helper: AuthHelper) -> None:
    """Metadata seeded in the core is what the view reads through the default client."""
    auth_helper.seed_metadata("alice", {"plan": "pro"})
    auth_helper.log_in_as(web, "alice")
    assert web.get("/me").json()["metadata"] == {"plan": "pro"}


def test_expired_token_then_refresh(web: DjangoClient, auth_helper: AuthHelper) -> None:
    """An expired access token is 401 try refresh; the refresh endpoint recovers."""
    auth_helper.log_in_as(web, "alice")
    auth_helper.expire_access_token()
    expired = web.get("/me")
    assert (expired.status_code, expired.json()) == (401, {"message": "try refresh token"})
    assert web.post("/auth/session/refresh").status_code == 200
    assert web.get("/me").status_code == 200


def test_stolen_refresh_token(web: DjangoClient, auth_helper: AuthHelper) -> None:
    """Replaying the old refresh token at the app is token theft: 401, session revoked."""
    old = auth_helper.log_in_as(web, "alice")
    assert web.post("/auth/session/refresh").status_code == 200
    assert web.get("/me").status_code == 200
    auth_helper.log_in_as(web, old)
    answer = web.post("/auth/session/refresh")
    assert (answer.status_code, answer.json()) == (401, {"message": "token theft detected"})
    assert not auth_helper.session_exists(old)
