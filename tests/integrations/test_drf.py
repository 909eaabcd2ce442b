"""DRF: the seed's route and the session matrix through SessionAuthentication."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from typing import Any, cast

import attrs
import httpx
import pytest

from tests.integrations import django_apps

django_apps.configure()

from django.test import Client as DjangoClient  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework.permissions import AllowAny, IsAuthenticated  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from authclient.integrations.django import (  # noqa: E402
    SESSION_ATTRIBUTE,
    create_new_session,
    verify_session,
)
from authclient.integrations.drf import SessionUser  # noqa: E402
from authclient.localcore import LocalCore, LocalCoreTransport  # noqa: E402
from authclient.syncio import Client, Session  # noqa: E402
from tests.integrations.client_matrix import FrameworkMatrix  # noqa: E402
from tests.integrations.conftest import (  # noqa: E402
    CONFIG_A,
    Frontend,
    no_session_headers,
)
from tests.integrations.drf_apps import drf_app  # noqa: E402


class TestDRF(FrameworkMatrix):
    """APIViews, a ViewSet and ``@api_view`` functions with permission classes."""

    make_send = staticmethod(drf_app)
    test_a_background_task_runs = None  # type: ignore[assignment]  # Django has none

    async def test_updateinfo_without_a_session_is_unauthorised_without_a_clear(
        self, frontend: Frontend
    ) -> None:
        """No tokens: IsAuthenticated answers 401 (DRF's body), and nothing is cleared."""
        response = await frontend.call("POST", "/updateinfo")
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Session"
        assert no_session_headers(response)


@pytest.fixture
def client(web_core: LocalCore, shared_app: str) -> Generator[Client, None, None]:
    with httpx.Client(transport=LocalCoreTransport(web_core)) as transport:
        with Client(shared_app, http_client=transport) as client:
            yield client


class Login(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    def post(self, request: Request) -> Response:
        return Response({"userId": create_new_session(request, "rex").user_id})


class Decorated(APIView):
    """The Django decorator on an APIView method: it gets self first, then DRF's request."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @verify_session()
    def post(self, request: Request) -> Response:
        session = cast(Session, getattr(request, SESSION_ATTRIBUTE))  # request.auth_session
        session.merge_into_access_token_payload({"rotated": True})
        return Response({"userId": session.user_id})


class WhoAmI(APIView):
    permission_classes = (IsAuthenticated,)

    def get(self, request: Request) -> Response:
        user: Any = request.user
        return Response({"str": str(user), "pk": user.pk, "isUser": isinstance(user, SessionUser)})


@contextmanager
def served(client: Client) -> Generator[DjangoClient, None, None]:
    patterns = [
        path("login", Login.as_view()),
        path("decorated", Decorated.as_view()),
        path("whoami", WhoAmI.as_view()),
    ]
    settings = {**attrs.asdict(CONFIG_A, recurse=False), "client": client}
    with override_settings(
        ROOT_URLCONF=django_apps.URLConf(patterns),
        MIDDLEWARE=django_apps.MIDDLEWARE,
        AUTHCLIENT=settings,
    ):
        yield DjangoClient()


def test_verify_session_on_an_apiview_method_rotates_tokens_into_the_response(
    client: Client,
) -> None:
    """On an APIView method (where the official decorator gets the view, not the request), the
    session is verified and a token rotated in the view reaches DRF's real response."""
    with served(client) as browser:
        login = browser.post("/login", headers={"st-auth-mode": "header"})
        bearer = {"authorization": f"Bearer {login['st-access-token']}"}
        response = browser.post("/decorated", headers=bearer)
    assert (response.status_code, response.json()) == (200, {"userId": "rex"})
    rotated = client.get_session(response["st-access-token"])
    assert rotated is not None and rotated.access_token_payload["rotated"] is True
    assert response["front-token"] != "remove"


def test_request_user_is_the_sessions_user(client: Client) -> None:
    """request.user is a SessionUser: its str and pk are the user id."""
    with served(client) as browser:
        login = browser.post("/login", headers={"st-auth-mode": "header"})
        bearer = {"authorization": f"Bearer {login['st-access-token']}"}
        response = browser.get("/whoami", headers=bearer)
    assert response.json() == {"str": "rex", "pk": "rex", "isUser": True}
