"""The user's Django project for the Django and DRF tests: settings, views, URLs.

Django is configured once per process, so this uses the test suite's configuration
(``tests.integrations.django_apps.configure``) and swaps in its URLs and ``AUTHCLIENT`` per test
with ``override_settings`` (what pytest-django's ``settings`` fixture does in a user's project).
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from typing import Any

import pytest

pytest.importorskip("django")
pytest.importorskip("rest_framework")

from django.http import HttpRequest, JsonResponse
from django.test import override_settings
from django.urls import path

from authclient import asyncio as aio
from authclient import syncio
from authclient.integrations.django import verify_session
from tests.integrations.django_apps import URLConf, configure

configure()  # before DRF's modules, which read the settings as they load

from rest_framework.permissions import IsAuthenticated  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


@verify_session()
def me(request: HttpRequest) -> JsonResponse:
    session = getattr(request, "auth_session")  # noqa: B009 (set by verify_session)
    assert isinstance(session, syncio.Session)
    metadata = syncio.get_user_metadata(session.get_user_id()).metadata  # the default client
    return JsonResponse({"userId": session.get_user_id(), "metadata": metadata})


class Me(APIView):
    permission_classes = (IsAuthenticated,)

    def get(self, request: Request) -> Response:
        session: syncio.Session = request.auth  # type: ignore[assignment]
        return Response({"userId": session.get_user_id()})


URLS = URLConf([path("me", me), path("api/me", Me.as_view())])


@contextmanager
def project(client: syncio.Client, async_client: aio.AsyncClient) -> Generator[None, None, None]:
    """The project's settings, with the plugin's clients in ``AUTHCLIENT``."""
    authclient: dict[str, Any] = {
        "api_domain": "http://testserver",
        "website_domain": "http://testserver",
        "client": client,
        "async_client": async_client,
    }
    with override_settings(ROOT_URLCONF=URLS, AUTHCLIENT=authclient):
        yield
