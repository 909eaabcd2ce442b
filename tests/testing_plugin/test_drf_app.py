"""A user's DRF view (``IsAuthenticated``) tested with the plugin and DRF's APIClient."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

pytest.importorskip("rest_framework")

from authclient import asyncio as aio
from authclient import syncio
from authclient.testing import AuthHelper
from tests.testing_plugin.django_app import project

if TYPE_CHECKING:
    from rest_framework.test import APIClient


@pytest.fixture
def web(auth_client: syncio.Client, async_auth_client: aio.AsyncClient) -> Iterator[APIClient]:
    from rest_framework.test import APIClient  # once the settings are configured

    with project(auth_client, async_auth_client):
        yield APIClient()


@pytest.mark.parametrize("transfer", ["cookie", "header"])
def test_logged_in_user_is_authenticated(
    web: APIClient, auth_helper: AuthHelper, transfer: str
) -> None:
    """DRF's request.auth is the session log_in_as made, in either transfer mode."""
    auth_helper.log_in_as(web, "alice", transfer="header" if transfer == "header" else "cookie")
    assert web.get("/api/me").json() == {"userId": "alice"}


def test_anonymous_is_refused(web: APIClient) -> None:
    """Without a session IsAuthenticated answers 401."""
    assert web.get("/api/me").status_code == 401


def test_expired_token_asks_for_refresh(web: APIClient, auth_helper: AuthHelper) -> None:
    """An expired access token is answered 401 try refresh by the DRF view."""
    auth_helper.log_in_as(web, "alice")
    auth_helper.expire_access_token()
    assert web.get("/api/me").json() == {"message": "try refresh token"}
