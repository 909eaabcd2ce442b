"""Django: the seed's route and the session matrix for sync and async views."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from typing import Any, Optional

import attrs
import httpx
import pytest

from tests.integrations import django_apps

django_apps.configure()

from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.http.response import HttpResponseBase  # noqa: E402
from django.test import Client as DjangoClient  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.urls import URLPattern, path  # noqa: E402
from django.utils.decorators import method_decorator  # noqa: E402
from django.views import View  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from authclient.errors import TryRefreshTokenError  # noqa: E402
from authclient.integrations.django import (  # noqa: E402
    create_new_session,
    load_settings,
    verify_session,
)
from authclient.localcore import LocalCore, LocalCoreTransport  # noqa: E402
from authclient.syncio import Client, Overrides, SessionRecipe  # noqa: E402
from tests.integrations.client_matrix import FrameworkMatrix  # noqa: E402
from tests.integrations.conftest import CONFIG_A  # noqa: E402
from tests.integrations.cycles import authclient_cycles  # noqa: E402


class TestDjangoSyncViews(FrameworkMatrix):
    """Sync views through Django's test ``Client`` (WSGI): the sync flavor."""

    make_send = staticmethod(django_apps.sync_app)
    test_a_background_task_runs = None  # type: ignore[assignment]  # Django has none


class TestDjangoAsyncViews(FrameworkMatrix):
    """Async views through Django's ``AsyncClient`` (ASGI): the async flavor."""

    make_send = staticmethod(django_apps.async_app)
    test_a_background_task_runs = None  # type: ignore[assignment]  # Django has none


@pytest.fixture
def client(web_core: LocalCore, shared_app: str) -> Generator[Client, None, None]:
    with httpx.Client(transport=LocalCoreTransport(web_core)) as transport:
        with Client(shared_app, http_client=transport) as client:
            yield client


named_client: Optional[Client] = None  # for the dotted-path setting


@contextmanager
def served(patterns: list[URLPattern], **authclient: Any) -> Generator[DjangoClient, None, None]:
    """A Django test client for ``patterns`` behind the test middleware stack."""
    settings = {**attrs.asdict(CONFIG_A, recurse=False), **authclient}
    with override_settings(
        ROOT_URLCONF=django_apps.URLConf(patterns),
        MIDDLEWARE=django_apps.MIDDLEWARE,
        AUTHCLIENT=settings,
    ):
        yield DjangoClient()


@csrf_exempt
def login(request: HttpRequest) -> JsonResponse:
    mode = request.headers.get("st-auth-mode", "header")
    return JsonResponse({"userId": create_new_session(request, f"dj-{mode}").user_id})


def bearer(response: HttpResponseBase) -> dict[str, str]:
    return {"authorization": f"Bearer {response['st-access-token']}"}


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (None, "must be a dict"),
        ({"api_domain": "http://api.example.com"}, "website_domain"),
        ({**attrs.asdict(CONFIG_A, recurse=False), "colour": "red"}, r"unknown keys \['colour'\]"),
        ({**attrs.asdict(CONFIG_A, recurse=False), "api_domain": "ftp://x"}, "api_domain"),
        ({**attrs.asdict(CONFIG_A, recurse=False), "client": "no.such.module"}, "no.such"),
    ],
)
def test_bad_settings_are_improperly_configured(setting: Any, message: str) -> None:
    """settings.AUTHCLIENT is checked when the middleware starts, with a clear message."""
    with override_settings(AUTHCLIENT=setting), pytest.raises(ImproperlyConfigured, match=message):
        load_settings()


def test_a_client_can_be_named_by_its_dotted_path(client: Client) -> None:
    """AUTHCLIENT["client"] may be the dotted path of the Client, as Django settings often are."""
    global named_client
    named_client = client
    try:
        with override_settings(
            AUTHCLIENT={
                **attrs.asdict(CONFIG_A, recurse=False),
                "client": f"{__name__}.named_client",
            }
        ):
            assert load_settings().client is client
    finally:
        named_client = None


def test_a_cookie_session_uses_expires_and_never_max_age(client: Client) -> None:
    """The session cookies carry Expires, never Max-Age (FDI.md §1.2), through Django's cookies."""
    with served([path("login", login)], client=client) as browser:
        response = browser.post("/login", headers={"st-auth-mode": "cookie"})
    morsels = response.cookies
    assert {"sAccessToken", "sRefreshToken"} <= set(morsels)
    assert all(morsels[name]["expires"] and not morsels[name]["max-age"] for name in morsels)
    assert morsels["sRefreshToken"]["path"] == "/auth/session/refresh"
    assert morsels["sAccessToken"]["httponly"] and morsels["sAccessToken"]["samesite"] == "Lax"


def test_verify_session_works_on_a_class_based_view_method(client: Client) -> None:
    """On a View's method the decorator finds the request after self; dispatch makes it exempt."""

    class Me(View):
        @method_decorator(verify_session())
        def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return super().dispatch(request, *args, **kwargs)

        def post(self, request: django_apps.SessionRequest) -> JsonResponse:
            return JsonResponse({"userId": request.auth_session.user_id})

    class Direct(View):
        @verify_session()
        def post(self, request: django_apps.SessionRequest) -> JsonResponse:
            return JsonResponse({"userId": request.auth_session.user_id})

    with served(
        [
            path("login", login),
            path("me", Me.as_view()),
            path("direct", csrf_exempt(Direct.as_view())),
        ],
        client=client,
    ) as browser:
        tokens = bearer(browser.post("/login"))
        assert browser.post("/me", headers=tokens).json() == {"userId": "dj-header"}
        assert browser.post("/direct", headers=tokens).json() == {"userId": "dj-header"}
        assert browser.post("/me").status_code == 401


def test_decorated_views_are_csrf_exempt() -> None:
    """verify_session marks the view CSRF-exempt: the session's own anti-CSRF applies."""

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    assert getattr(verify_session()(view), "csrf_exempt", False) is True


def test_a_session_error_from_an_undecorated_view_is_answered(client: Client) -> None:
    """The middleware's process_exception answers a SessionError from any view."""

    def raises(request: HttpRequest) -> HttpResponse:
        raise TryRefreshTokenError("expired")

    with served([path("raises", raises)], client=client) as browser:
        response = browser.get("/raises")
    assert (response.status_code, response.json()) == (401, {"message": "try refresh token"})


def test_without_the_middleware_verify_session_is_a_clear_error() -> None:
    """A decorated view with no AuthMiddleware in MIDDLEWARE says what to add."""

    @verify_session()
    def me(request: HttpRequest) -> HttpResponse:
        raise AssertionError("not reached")

    with override_settings(ROOT_URLCONF=django_apps.URLConf([path("me", me)]), MIDDLEWARE=[]):
        with pytest.raises(RuntimeError, match="AuthMiddleware"):
            DjangoClient().post("/me")


def test_every_call_gets_a_fresh_user_context_with_the_django_request(
    web_core: LocalCore, shared_app: str
) -> None:
    """Each call of a request sees a new user_context whose _default.request is that request."""
    contexts: list[dict[str, Any]] = []

    def override(original: SessionRecipe) -> SessionRecipe:
        get = original.get_session

        def get_session(*args: Any) -> Any:
            contexts.append(args[-1])
            return get(*args)

        original.get_session = get_session  # type: ignore[method-assign,assignment]
        return original

    @verify_session()
    def me(request: django_apps.SessionRequest) -> JsonResponse:
        return JsonResponse({"userId": request.auth_session.user_id})

    with httpx.Client(transport=LocalCoreTransport(web_core)) as transport:
        overrides = Overrides(session=override)
        with Client(shared_app, http_client=transport, overrides=overrides) as recorded:
            with served([path("login", login), path("me", me)], client=recorded) as browser:
                tokens = bearer(browser.post("/login"))
                browser.post("/me", headers=tokens)
                browser.post("/me", headers=tokens)
    requests = [context["_default"]["request"] for context in contexts]
    assert len({id(context) for context in contexts}) == len(contexts) == 2
    assert all(isinstance(found, HttpRequest) for found in requests)
    assert requests[0] is not requests[1] and requests[0].path == "/me"


def test_a_request_leaves_no_reference_cycles(client: Client) -> None:
    """The middleware detaches each request's sessions: nothing waits for the cyclic GC."""

    @verify_session()
    def me(request: django_apps.SessionRequest) -> JsonResponse:
        return JsonResponse({"userId": request.auth_session.user_id})

    with served([path("login", login), path("me", me)], client=client) as browser:
        tokens = bearer(browser.post("/login"))
        browser.post("/me", headers=tokens)
        with authclient_cycles() as found:
            for _ in range(3):
                assert browser.post("/me", headers=tokens).status_code == 200
    assert found == []
