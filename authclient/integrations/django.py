"""Sessions in Django apps (``pip install 'authclient[django]'``), sync and async views.

Settings::

    MIDDLEWARE = [
        "corsheaders.middleware.CorsMiddleware",   # CORS first (outside), if the site needs it
        ...,
        "authclient.integrations.django.AuthMiddleware",
    ]
    AUTHCLIENT = {
        "api_domain": "https://api.example.com",  # any authclient.web.WebConfig field by name
        "website_domain": "https://example.com",
        "client": "myproject.auth.client",        # a syncio Client, or its dotted path (None:
        "async_client": "myproject.auth.aclient",  # the default client); async views use this
    }                                             # also: overrides, async_overrides, error_handlers

Views::

    @verify_session()
    def updateinfo(request):                # a sync view: the sync flavor (authclient.syncio)
        return JsonResponse({"userId": request.auth_session.get_user_id()})

    @verify_session()
    async def aupdateinfo(request):         # an async view: the async flavor (authclient.asyncio)
        ...

The middleware serves ``POST {api_base_path}/session/refresh`` and ``{api_base_path}/signout``
(before the URL resolver: no URL patterns are needed), writes the tokens that changed into every
response and answers a ``SessionError`` a view raises as FDI.md §5.4 says. It runs in either
mode: under WSGI with the sync flavor, under ASGI with the async one; serve async views from
ASGI (under WSGI Django runs each in an event loop of its own).

``verify_session(...)`` puts the session on ``request.auth_session`` (``None`` when
``session_required=False`` found none) and answers session errors itself. It finds the request
among the view's arguments, so it works on functions, on view methods and on DRF views (see
``authclient.integrations.drf`` for DRF's authentication). Decorated views are CSRF-exempt:
the session's own anti-CSRF (``WebConfig.anti_csrf``, FDI.md §4) protects them, and the
frontend SDK never sends Django's CSRF token. Mark your login view ``csrf_exempt`` too.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Mapping
from email.utils import formatdate
from typing import Any, Callable, Optional, TypeVar, Union, cast
from urllib.parse import quote

import attrs
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.module_loading import import_string

from authclient import asyncio as aio
from authclient import syncio
from authclient.errors import SessionError
from authclient.integrations import asgi, wsgi
from authclient.web import ErrorHandlers, ResponseEffects, WebConfig, WebRequest

__all__ = [
    "SESSION_ATTRIBUTE",
    "SETTING",
    "AuthMiddleware",
    "RequestSessions",
    "acreate_new_session",
    "apply_effects",
    "create_new_session",
    "load_settings",
    "request_sessions",
    "verify_session",
]

SETTING = "AUTHCLIENT"
SESSION_ATTRIBUTE = "auth_session"  # request.auth_session
_ATTRIBUTE = "_authclient_sessions"
_OBJECT_KEYS = ("client", "async_client", "overrides", "async_overrides", "error_handlers")
V = TypeVar("V", bound=Callable[..., Any])
Response = HttpResponseBase


@attrs.frozen
class Settings:
    """``settings.AUTHCLIENT``, checked: the ``WebConfig`` and the objects it names."""

    config: WebConfig
    client: Optional[syncio.Client] = None
    async_client: Optional[aio.AsyncClient] = None
    overrides: Optional[Callable[[syncio.WebApi], syncio.WebApi]] = None
    async_overrides: Optional[Callable[[aio.AsyncWebApi], aio.AsyncWebApi]] = None
    error_handlers: Optional[ErrorHandlers] = None


def load_settings() -> Settings:
    """Read ``settings.AUTHCLIENT``; ``ImproperlyConfigured`` says what is wrong with it."""
    raw = getattr(settings, SETTING, None)
    if not isinstance(raw, Mapping):
        raise ImproperlyConfigured(
            f"settings.{SETTING} must be a dict with at least 'api_domain' and 'website_domain'"
        )
    options = cast(Mapping[str, Any], raw)
    fields = [field.name for field in attrs.fields(WebConfig)]
    unknown = sorted(set(options) - set(fields) - set(_OBJECT_KEYS))
    if unknown:
        raise ImproperlyConfigured(
            f"settings.{SETTING} has unknown keys {unknown}; "
            f"the keys are WebConfig's fields and {list(_OBJECT_KEYS)}"
        )
    try:
        config = WebConfig(**{name: options[name] for name in fields if name in options})
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(f"settings.{SETTING}: {error}") from error
    return Settings(config, **{name: _resolve(name, options.get(name)) for name in _OBJECT_KEYS})


def _resolve(name: str, value: Any) -> Any:
    """A dotted path (a string) is imported; anything else is the object itself."""
    if not isinstance(value, str):
        return value
    try:
        return import_string(value)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"settings.{SETTING}[{name!r}]: cannot import {value!r} ({error})"
        ) from error


class RequestSessions:
    """One request's sessions in both flavors, over one ``WebRequest`` (one response state)."""

    def __init__(
        self, web: syncio.WebSessions, async_web: aio.AsyncWebSessions, request: WebRequest
    ) -> None:
        self.request = request
        self.sync_sessions = wsgi.RequestSessions(web, request)
        self.async_sessions = asgi.RequestSessions(async_web, request)

    def __repr__(self) -> str:
        return f"RequestSessions({self.request!r})"

    def finish(self) -> ResponseEffects:
        """What the response must carry now (the same in both flavors)."""
        return self.sync_sessions.finish()

    def close(self, request: HttpRequest) -> None:
        """The response is made: detach from ``request`` (no reference cycle through it)."""
        self.sync_sessions.close()
        self.async_sessions.close()
        request.__dict__.pop(_ATTRIBUTE, None)


def request_sessions(request: Any) -> RequestSessions:
    """The ``RequestSessions`` the middleware attached to ``request`` (Django's or DRF's)."""
    sessions = getattr(_http_request(request), _ATTRIBUTE, None)
    if not isinstance(sessions, RequestSessions):
        raise RuntimeError(
            "no authclient AuthMiddleware for this request: add "
            "'authclient.integrations.django.AuthMiddleware' to settings.MIDDLEWARE"
        )
    return sessions


class AuthMiddleware:
    """Django middleware (sync and async): the session endpoints, token writes, error answers."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)
        loaded = load_settings()
        self.web = syncio.WebSessions(
            loaded.client,
            loaded.config,
            overrides=loaded.overrides,
            error_handlers=loaded.error_handlers,
        )
        self.async_web = aio.AsyncWebSessions(
            loaded.async_client,
            loaded.config,
            overrides=loaded.async_overrides,
            error_handlers=loaded.error_handlers,
        )

    def __repr__(self) -> str:
        return f"AuthMiddleware({self.web!r})"

    def __call__(self, request: HttpRequest) -> Union[Response, Awaitable[Response]]:
        if self.is_async:
            return self.__acall__(request)
        sessions = self._attach(request)
        answer = self.web.handle_endpoint(sessions.request)
        if answer is not None:
            return answer_response(answer)
        try:
            response: Response = self.get_response(request)
            apply_effects(response, sessions.finish())
        finally:
            sessions.close(request)
        return response

    async def __acall__(self, request: HttpRequest) -> Response:
        sessions = self._attach(request)
        answer = await self.async_web.handle_endpoint(sessions.request)
        if answer is not None:
            return answer_response(answer)
        try:
            response: Response = await self.get_response(request)
            apply_effects(response, sessions.finish())
        finally:
            sessions.close(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Optional[Response]:
        """A ``SessionError`` from a view (or DRF's authentication) gets its FDI answer.

        Django runs exception middleware synchronously in both modes: the sync flavor answers.
        """
        if not isinstance(exception, SessionError):
            return None
        sessions = request_sessions(request)
        return answer_response(sessions.sync_sessions.error_response(exception))

    def _attach(self, request: HttpRequest) -> RequestSessions:
        view = WebRequest(request.method or "GET", request.path, request.headers.items(), request)
        sessions = RequestSessions(self.web, self.async_web, view)
        setattr(request, _ATTRIBUTE, sessions)
        return sessions


def apply_effects(response: Response, effects: ResponseEffects) -> None:
    """Write ``effects`` into a Django response (headers, and cookies through ``set_cookie``)."""
    if not effects.operations:
        return
    before = list(response.items())
    after = [pair for pair in effects.apply_headers(before) if pair[0].lower() != "set-cookie"]
    kept = {name.lower() for name, _ in after}
    for name, _ in before:
        if name.lower() not in kept:
            del response[name]
    for name, value in after:
        response[name] = value
    for cookie in effects.cookies:
        response.set_cookie(
            cookie.name,
            quote(cookie.value),  # as Cookie.header_value() writes them
            expires=formatdate(cookie.expires, usegmt=True),
            path=cookie.path,
            domain=cookie.domain,
            secure=cookie.secure,
            httponly=cookie.http_only,
            samesite=cast(Any, cookie.same_site.capitalize()),
        )


def answer_response(answer: ResponseEffects) -> HttpResponse:
    """The Django response for an answer of the web layer (an endpoint, a session error)."""
    response = HttpResponse(answer.body or b"", status=answer.status or 500)
    apply_effects(response, answer)
    return response


def _http_request(value: Any) -> HttpRequest:
    if isinstance(value, HttpRequest):
        return value
    inner = getattr(value, "_request", None)  # DRF's Request wraps Django's
    if isinstance(inner, HttpRequest):
        return inner
    raise TypeError(f"expected a Django HttpRequest (or a DRF Request), not {type(value).__name__}")


def _find_request(view: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    for value in args:
        if isinstance(value, HttpRequest) or isinstance(
            getattr(value, "_request", None), HttpRequest
        ):
            return value
    raise TypeError(f"{view.__qualname__} takes no request")


def verify_session(
    session_required: bool = True,
    anti_csrf_check: Optional[bool] = None,
    check_database: bool = False,
    override_global_claim_validators: Optional[Callable[..., Any]] = None,
) -> Callable[[V], V]:
    """A view decorator: verify the request's session onto ``request.auth_session``.

    Sync views get a ``syncio.Session``, async views an ``asyncio.AsyncSession``. A session
    error (no session, expired or forged tokens, an invalid claim, the session gone inside
    the view) is answered as the frontend expects. ``anti_csrf_check=None`` checks every
    method but GET; ``check_database=True`` also asks the core whether the session exists.
    """
    options: dict[str, Any] = {
        "session_required": session_required,
        "anti_csrf_check": anti_csrf_check,
        "check_database": check_database,
        "override_global_claim_validators": override_global_claim_validators,
    }

    def decorate(view: V) -> V:
        if iscoroutinefunction(view):

            @functools.wraps(view)
            async def verified_async(*args: Any, **kwargs: Any) -> Any:
                original = _find_request(view, args)
                sessions = request_sessions(original).async_sessions
                try:
                    session = await sessions.verify_session(original, **options)
                    setattr(_http_request(original), SESSION_ATTRIBUTE, session)
                    return await view(*args, **kwargs)
                except SessionError as error:
                    return answer_response(
                        await sessions.web.error_response(sessions.request, error)
                    )

            verified_async.csrf_exempt = True  # type: ignore[attr-defined]
            return cast(V, verified_async)

        @functools.wraps(view)
        def verified(*args: Any, **kwargs: Any) -> Any:
            original = _find_request(view, args)
            sessions = request_sessions(original).sync_sessions
            try:
                session = sessions.verify_session(original, **options)
                setattr(_http_request(original), SESSION_ATTRIBUTE, session)
                return view(*args, **kwargs)
            except SessionError as error:
                return answer_response(sessions.error_response(error))

        verified.csrf_exempt = True  # type: ignore[attr-defined]
        return cast(V, verified)

    return decorate


def create_new_session(
    request: Any,
    user_id: str,
    access_token_payload: Optional[dict[str, Any]] = None,
    session_data_in_database: Optional[dict[str, Any]] = None,
    *,
    tenant_id: str = "public",
    user_context: Optional[dict[str, Any]] = None,
) -> syncio.Session:
    """Start a session for ``user_id`` in a sync view; its tokens go into this response.

    ``request`` is the view's (Django's or DRF's). Cookies or headers as the frontend asks
    (``st-auth-mode``) or the settings say.
    """
    return request_sessions(request).sync_sessions.create_new_session(
        request,
        user_id,
        access_token_payload,
        session_data_in_database,
        tenant_id=tenant_id,
        user_context=user_context,
    )


async def acreate_new_session(
    request: Any,
    user_id: str,
    access_token_payload: Optional[dict[str, Any]] = None,
    session_data_in_database: Optional[dict[str, Any]] = None,
    *,
    tenant_id: str = "public",
    user_context: Optional[dict[str, Any]] = None,
) -> aio.AsyncSession:
    """``create_new_session`` for async views (the async flavor)."""
    return await request_sessions(request).async_sessions.create_new_session(
        request,
        user_id,
        access_token_payload,
        session_data_in_database,
        tenant_id=tenant_id,
        user_context=user_context,
    )
