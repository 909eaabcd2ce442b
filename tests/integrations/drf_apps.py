"""The matrix's app in Django REST framework: APIViews, a ViewSet and ``@api_view`` functions.

Authentication is ``authclient.integrations.drf.SessionAuthentication`` (the settings'
default); permission classes require the session; options are subclass attributes. Routes
as in ``tests.integrations.django_apps``.
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from typing import Any

from django.http import StreamingHttpResponse
from django.urls import URLPattern, path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSet

from authclient import syncio
from authclient.integrations.django import create_new_session
from authclient.integrations.drf import SessionAuthentication
from authclient.web import WebConfig
from tests.integrations.apps import CHUNKS
from tests.integrations.client_matrix import Clients, Send, must_be_admin
from tests.integrations.django_apps import django_settings, wsgi_send


class CheckedAuthentication(SessionAuthentication):
    check_database = True


class AdminAuthentication(SessionAuthentication):
    override_global_claim_validators = must_be_admin


def session_of(request: Request) -> syncio.Session:
    session = request.auth
    assert isinstance(session, syncio.Session)
    return session


def drf_views(client: syncio.Client) -> list[URLPattern]:
    class Login(APIView):
        authentication_classes = ()
        permission_classes = (AllowAny,)

        def post(self, request: Request) -> Response:
            body: dict[str, Any] = request.data  # type: ignore[assignment]  # a JSON object here
            session = create_new_session(request, str(body["userId"]))
            return Response({"userId": session.user_id})

    class LoginExposing(Login):
        def post(self, request: Request) -> Response:
            response = super().post(request)
            response["Access-Control-Expose-Headers"] = "x-app"
            return response

    class UpdateInfo(ViewSet):
        permission_classes = (IsAuthenticated,)

        def create(self, request: Request) -> Response:
            result = client.get_user_metadata(session_of(request).user_id)
            return Response({"preferences": result.metadata.get("preferences")})

    class Optional(APIView):
        permission_classes = (AllowAny,)

        def post(self, request: Request) -> Response:
            user: Any = request.user
            return Response({"userId": user.user_id if user.is_authenticated else None})

    class CheckDb(APIView):
        authentication_classes = (CheckedAuthentication,)
        permission_classes = (IsAuthenticated,)

        def post(self, request: Request) -> Response:
            return Response({"userId": session_of(request).user_id})

    class Admin(APIView):
        authentication_classes = (AdminAuthentication,)
        permission_classes = (IsAuthenticated,)

        def post(self, request: Request) -> Response:
            raise AssertionError("not an admin: not reached")

    @api_view(["POST"])
    @permission_classes([IsAuthenticated])
    def merge(request: Request) -> Response:
        session_of(request).merge_into_access_token_payload({"m": 1})
        return Response({"ok": True})

    @api_view(["POST"])
    @permission_classes([IsAuthenticated])
    def revoke(request: Request) -> Response:
        session_of(request).revoke_session()
        return Response({"ok": True})

    class Stream(APIView):
        permission_classes = (IsAuthenticated,)

        def get(self, request: Request) -> StreamingHttpResponse:
            return StreamingHttpResponse(iter(CHUNKS), content_type="text/plain")

    return [
        path("login", Login.as_view()),
        path("login-exposing", LoginExposing.as_view()),
        # The stubs leave the action type open.
        path("updateinfo", UpdateInfo.as_view({"post": "create"})),  # pyright: ignore[reportUnknownMemberType]
        path("optional", Optional.as_view()),
        path("checkdb", CheckDb.as_view()),
        path("admin", Admin.as_view()),
        path("merge", merge),
        path("revoke", revoke),
        path("stream", Stream.as_view()),
    ]


@contextmanager
def drf_app(
    clients: Clients, config: WebConfig, background: list[str], with_cors: bool
) -> Generator[Send, None, None]:
    with django_settings(drf_views(clients.sync), clients, config, with_cors), wsgi_send() as send:
        yield send
