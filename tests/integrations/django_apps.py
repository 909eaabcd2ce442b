"""The matrix's app in Django (sync views, async views) and in DRF, and their test clients.

Django is configured once per process (``configure()``); each app is a URLconf object and the
settings an app needs (``MIDDLEWARE``, ``AUTHCLIENT``) are overridden while it is in use. The
middleware stack is a realistic one: ``CommonMiddleware`` and ``CsrfViewMiddleware`` in front
of authclient's (``corsheaders`` first with CORS). Routes as in ``tests.integrations.apps``,
plus ``POST /admin`` (a claim nobody has); no WebSocket and no background task.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Generator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from typing import Any, Callable, TypeVar

import attrs
import django
import httpx
from django.conf import settings
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import AsyncClient, Client, override_settings
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt

from authclient import asyncio as aio
from authclient import syncio
from authclient.integrations.django import acreate_new_session, create_new_session, verify_session
from authclient.web import WebConfig, cors_allowed_headers
from tests.integrations.apps import CHUNKS, WEBSITE
from tests.integrations.client_matrix import Clients, Send, in_thread, must_be_admin

MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "authclient.integrations.django.AuthMiddleware",
]
CORS_MIDDLEWARE = "corsheaders.middleware.CorsMiddleware"
V = TypeVar("V", bound=Callable[..., Any])


class URLConf:
    """A URLconf that is an object, not a module (Django accepts either; hashed by identity)."""

    def __init__(self, urlpatterns: list[URLPattern]) -> None:
        self.urlpatterns = urlpatterns


def configure() -> None:
    """Django's settings for these tests (once per process), and ``django.setup()``."""
    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="authclient-tests-only",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=URLConf([]),
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "rest_framework",
            "corsheaders",
        ],
        MIDDLEWARE=MIDDLEWARE,
        DATABASES={},
        USE_TZ=True,
        CORS_ALLOWED_ORIGINS=[WEBSITE],
        CORS_ALLOW_CREDENTIALS=True,
        CORS_ALLOW_HEADERS=["content-type", *cors_allowed_headers()],
        REST_FRAMEWORK={
            "DEFAULT_AUTHENTICATION_CLASSES": ["authclient.integrations.drf.SessionAuthentication"],
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
            "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        },
    )
    django.setup()


class SessionRequest(HttpRequest):
    """What a view decorated with ``verify_session`` is given (for the type checkers)."""

    auth_session: Any


def _user_id(request: HttpRequest) -> str:
    return str(json.loads(request.body)["userId"])


def _exposing(response: HttpResponseBase) -> HttpResponseBase:
    response["Access-Control-Expose-Headers"] = "x-app"
    return response


def exempt(view: V) -> V:
    """``csrf_exempt`` for async views too (Django 4.2's decorator makes them sync)."""
    view.csrf_exempt = True  # type: ignore[attr-defined]
    return view


def sync_views(client: syncio.Client) -> list[URLPattern]:
    @csrf_exempt
    def login(request: HttpRequest) -> JsonResponse:
        session = create_new_session(request, _user_id(request))
        return JsonResponse({"userId": session.user_id})

    @csrf_exempt
    def login_exposing(request: HttpRequest) -> HttpResponseBase:
        return _exposing(login(request))

    @verify_session()
    def updateinfo(request: SessionRequest) -> JsonResponse:
        result = client.get_user_metadata(request.auth_session.user_id)
        return JsonResponse({"preferences": result.metadata.get("preferences")})

    @verify_session(session_required=False)
    def optional(request: SessionRequest) -> JsonResponse:
        session = request.auth_session
        return JsonResponse({"userId": session.user_id if session else None})

    @verify_session(check_database=True)
    def checkdb(request: SessionRequest) -> JsonResponse:
        return JsonResponse({"userId": request.auth_session.user_id})

    @verify_session(override_global_claim_validators=must_be_admin)
    def admin(request: SessionRequest) -> JsonResponse:
        raise AssertionError("not an admin: not reached")

    @verify_session()
    def merge(request: SessionRequest) -> JsonResponse:
        request.auth_session.merge_into_access_token_payload({"m": 1})
        return JsonResponse({"ok": True})

    @verify_session()
    def revoke(request: SessionRequest) -> JsonResponse:
        request.auth_session.revoke_session()
        return JsonResponse({"ok": True})

    @verify_session()
    def stream(request: SessionRequest) -> StreamingHttpResponse:
        return StreamingHttpResponse(iter(CHUNKS), content_type="text/plain")

    return _patterns(
        login, login_exposing, updateinfo, optional, checkdb, admin, merge, revoke, stream
    )


def async_views(client: aio.AsyncClient) -> list[URLPattern]:
    @exempt
    async def login(request: HttpRequest) -> JsonResponse:
        session = await acreate_new_session(request, _user_id(request))
        return JsonResponse({"userId": session.user_id})

    @exempt
    async def login_exposing(request: HttpRequest) -> HttpResponseBase:
        return _exposing(await login(request))

    @verify_session()
    async def updateinfo(request: SessionRequest) -> JsonResponse:
        result = await client.get_user_metadata(request.auth_session.user_id)
        return JsonResponse({"preferences": result.metadata.get("preferences")})

    @verify_session(session_required=False)
    async def optional(request: SessionRequest) -> JsonResponse:
        session = request.auth_session
        return JsonResponse({"userId": session.user_id if session else None})

    @verify_session(check_database=True)
    async def checkdb(request: SessionRequest) -> JsonResponse:
        return JsonResponse({"userId": request.auth_session.user_id})

    @verify_session(override_global_claim_validators=must_be_admin)
    async def admin(request: SessionRequest) -> JsonResponse:
        raise AssertionError("not an admin: not reached")

    @verify_session()
    async def merge(request: SessionRequest) -> JsonResponse:
        await request.auth_session.merge_into_access_token_payload({"m": 1})
        return JsonResponse({"ok": True})

    @verify_session()
    async def revoke(request: SessionRequest) -> JsonResponse:
        await request.auth_session.revoke_session()
        return JsonResponse({"ok": True})

    async def chunks() -> AsyncIterator[bytes]:
        for chunk in CHUNKS:
            yield chunk

    @verify_session()
    async def stream(request: SessionRequest) -> StreamingHttpResponse:
        return StreamingHttpResponse(chunks(), content_type="text/plain")

    return _patterns(
        login, login_exposing, updateinfo, optional, checkdb, admin, merge, revoke, stream
    )


def _patterns(*views: Callable[..., Any]) -> list[URLPattern]:
    names = ["login", "login-exposing", "updateinfo", "optional", "checkdb", "admin"]
    names += ["merge", "revoke", "stream"]
    return [path(name, view) for name, view in zip(names, views)]


@contextmanager
def django_settings(
    patterns: list[URLPattern], clients: Clients, config: WebConfig, with_cors: bool
) -> Generator[None, None, None]:
    """The settings of one app: its URLconf, the middleware and ``AUTHCLIENT``."""
    authclient = {
        **attrs.asdict(config, recurse=False),
        "client": clients.sync,
        "async_client": clients.asynchronous,
    }
    middleware = [CORS_MIDDLEWARE, *MIDDLEWARE] if with_cors else MIDDLEWARE
    with override_settings(
        ROOT_URLCONF=URLConf(patterns),
        MIDDLEWARE=middleware,
        AUTHCLIENT=authclient,
    ):
        yield


def as_httpx(response: HttpResponseBase, content: bytes) -> httpx.Response:
    """A Django response as the rows read responses (cookies as ``Set-Cookie`` headers)."""
    cookies = [("set-cookie", c.output(header="").strip()) for c in response.cookies.values()]
    return httpx.Response(
        response.status_code, headers=[*response.items(), *cookies], content=content
    )


def _body(json_body: Any) -> dict[str, Any]:
    if json_body is None:
        return {}
    return {"data": json.dumps(json_body), "content_type": "application/json"}


@contextmanager
def wsgi_send() -> Generator[Send, None, None]:
    """Requests through Django's ``Client`` (WSGI), each on a worker thread."""
    test_client = Client()

    async def send(
        method: str, target: str, headers: dict[str, str], json_body: Any
    ) -> httpx.Response:
        def call() -> httpx.Response:
            response = test_client.generic(method, target, headers=headers, **_body(json_body))
            test_client.cookies = SimpleCookie()
            if isinstance(response, StreamingHttpResponse):
                return as_httpx(response, b"".join(response))
            return as_httpx(response, response.content)

        return await in_thread(call)

    yield send


@contextmanager
def asgi_send() -> Generator[Send, None, None]:
    """Requests through Django's ``AsyncClient`` (ASGI) on the test's event loop."""
    test_client = AsyncClient()

    async def send(
        method: str, target: str, headers: dict[str, str], json_body: Any
    ) -> httpx.Response:
        sent = dict(headers)
        jar: SimpleCookie = SimpleCookie()
        jar.load(sent.pop("cookie", ""))  # Django joins repeated headers with ","
        test_client.cookies = jar
        response = await test_client.generic(method, target, headers=sent, **_body(json_body))
        if isinstance(response, StreamingHttpResponse):
            return as_httpx(response, b"".join([chunk async for chunk in response]))
        return as_httpx(response, response.content)

    yield send


@contextmanager
def sync_app(
    clients: Clients, config: WebConfig, background: list[str], with_cors: bool
) -> Generator[Send, None, None]:
    with django_settings(sync_views(clients.sync), clients, config, with_cors), wsgi_send() as send:
        yield send


@contextmanager
def async_app(
    clients: Clients, config: WebConfig, background: list[str], with_cors: bool
) -> Generator[Send, None, None]:
    patterns = async_views(clients.asynchronous)
    with django_settings(patterns, clients, config, with_cors), asgi_send() as send:
        yield send
