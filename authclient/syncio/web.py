# Generated from authclient/asyncio/web.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""Sessions in web requests: the request-level operations every framework adapter calls.

One ``WebSessions`` per application. An adapter builds a ``WebRequest`` per request and:

1. ``effects = web.handle_endpoint(request)``: the refresh and sign-out endpoints, and
   the JWKS and OpenID discovery document (``GET {base}/jwt/jwks.json``,
   ``GET {base}/.well-known/openid-configuration``); ``None`` when the request is for none of
   them (pass it to the app).
2. In the app: ``web.verify_session(request, ...)`` / ``create_new_session(request, ...)``;
   a ``SessionError`` they raise becomes ``web.error_response(request, error)``.
3. Just before the response starts: ``web.finish(request).apply_headers(headers)`` writes the
   tokens that changed (a new session, a token the core replaced, a merge in the handler) or
   clears them (``session.revoke_session()`` in the handler).

Every call made for a request gets a fresh ``user_context`` (unless one is passed) with
``user_context["_default"]["request"]`` set to the framework's request.

A request whose access token the client verified before is answered without those calls when
nothing on their way is overridden (no web or recipe override, no global claim validator, no
``check_database``, no ``user_context`` passed): the same checks, and no one to see a context.
"""

from __future__ import annotations

import inspect
import time
from typing import Any, Callable, Optional

from authclient._protocol.fdi import rules
from authclient._protocol.fdi.effects import ResponseEffects
from authclient._protocol.fdi.request import (
    ACCESS_TOKEN_COOKIE,
    ANTI_CSRF_HEADER,
    LEGACY_ID_REFRESH_COOKIE,
    TransferMethod,
    WebRequest,
    token_from,
)
from authclient._protocol.fdi.state import (
    RequestState,
    clear_for_error,
    default_answer,
    finish_effects,
    request_context,
    state_of,
)
from authclient.errors import (
    SessionError,
    TokenTheftError,
    TryRefreshTokenError,
    UnauthorisedError,
)
from authclient.syncio._client import Client
from authclient.syncio._default import current_default_client, default_client
from authclient.syncio._web_jwt import JWT_ENDPOINTS, WebJwtApi, answer_jwt_endpoint
from authclient.syncio.session_object import Session
from authclient.types import AntiCsrfMode
from authclient.web import (
    ClearDuplicateSessionCookiesError,
    DuplicateSessionCookiesError,
    ErrorHandlers,
    InsecureSessionCookieError,
    WebConfig,
)

__all__ = ["WebApi", "WebSessions"]


class WebApi(WebJwtApi):
    """The overridable steps of the web layer: ``overrides=fn`` receives this object.

    Reassign a method on it and return it, or return a subclass instance. ``web`` is the
    ``WebSessions`` it belongs to (use its request-level operations). The endpoints'
    steps are ``refresh_post``, ``signout_post``, ``jwks_get`` and
    ``openid_configuration_get``.
    """

    def __init__(self, web: WebSessions) -> None:
        self.web = web

    def verify_session(
        self,
        request: WebRequest,
        session_required: bool,
        anti_csrf_check: Optional[bool],
        check_database: bool,
        override_global_claim_validators: Optional[Callable[..., Any]],
        user_context: dict[str, Any],
    ) -> Optional[Session]:
        """The session of a request to an app route (``verify_session`` in every adapter).

        OPTIONS and TRACE have none (an error if one is required); a POST to the refresh
        path refreshes; anything else is ``get_session``.
        """
        if request.method in ("OPTIONS", "TRACE"):
            if session_required:
                raise RuntimeError(f"verify_session cannot be used with {request.method} requests")
            return None
        web = self.web
        if request.method == "POST" and web.is_refresh_path(request):
            return web.refresh_session(request, user_context=user_context)
        return web.get_session(
            request,
            session_required=session_required,
            anti_csrf_check=anti_csrf_check,
            check_database=check_database,
            override_global_claim_validators=override_global_claim_validators,
            user_context=user_context,
        )

    def refresh_post(self, request: WebRequest, user_context: dict[str, Any]) -> Session:
        """``POST {base}/session/refresh``: new tokens into the response (answered ``{}``)."""
        return self.web.refresh_session(request, user_context=user_context)

    def signout_post(
        self, request: WebRequest, session: Session, user_context: dict[str, Any]
    ) -> None:
        """``POST {base}/signout`` for a verified ``session``: revoke it (answered OK)."""
        session.revoke_session(user_context)


class WebSessions:
    """The session operations of web requests, over ``WebRequest`` and ``ResponseEffects``.

    ``client`` is the ``Client`` to use (``None``: the default client); ``overrides`` is
    ``fn(original WebApi) -> WebApi``; ``error_handlers`` replace the default
    answers to session errors (plain functions, or coroutine functions in this flavor).
    """

    def __init__(
        self,
        client: Optional[Client],
        config: WebConfig,
        *,
        overrides: Optional[Callable[[WebApi], WebApi]] = None,
        error_handlers: Optional[ErrorHandlers] = None,
    ) -> None:
        if client is not None and not isinstance(client, Client):
            raise TypeError(f"client must be an {Client.__name__} or None (the default client)")
        if not isinstance(config, WebConfig):
            raise TypeError("config must be an authclient.web.WebConfig")
        if error_handlers is not None and not isinstance(error_handlers, ErrorHandlers):
            raise TypeError("error_handlers must be an authclient.web.ErrorHandlers")
        self._client = client
        self.config = config
        self.error_handlers = error_handlers or ErrorHandlers()
        if client is not None:
            config.check_client_anti_csrf(client.session_recipe.config.anti_csrf)
        original = WebApi(self)
        api = original if overrides is None else overrides(original)
        if not isinstance(api, WebApi):
            raise TypeError(f"the overrides function must return an {WebApi.__name__}")
        self.api = api
        setting = config.token_transfer_method
        # The transfer methods a verify looks in, when no function decides it per request.
        self._allowed: Optional[rules.AllowedMethod] = None if callable(setting) else setting
        # Whether verify_session may first try the verified-token cache (_verify_from_cache):
        # nothing on its way overridden here, nor in the client (for the default client, in
        # the one client() last checked).
        self._verify_shipped = (
            type(self).verify_session is WebSessions.verify_session
            and type(api).verify_session is WebApi.verify_session
            and "verify_session" not in vars(api)
            and (client is None or _client_verifies_as_shipped(client))
        )
        self._checked_default: Optional[Client] = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r}, {self.config.api_domain!r})"

    def client(self) -> Client:
        """The client in use (the default client when none was given)."""
        if self._client is not None:
            return self._client
        client = default_client()
        if client is not self._checked_default:
            self.config.check_client_anti_csrf(client.session_recipe.config.anti_csrf)
            self._checked_default = client if _client_verifies_as_shipped(client) else None
        return client

    # --- app routes ------------------------------------------------------------------------------

    def verify_session(
        self,
        request: WebRequest,
        *,
        session_required: bool = True,
        anti_csrf_check: Optional[bool] = None,
        check_database: bool = False,
        override_global_claim_validators: Optional[Callable[..., Any]] = None,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Optional[Session]:
        """The request's session, through the (overridable) ``api.verify_session``.

        Raises ``TryRefreshTokenError`` / ``UnauthorisedError`` (answer them with
        ``error_response``); ``None`` only when there is no token and none is required.
        """
        if not check_database and override_global_claim_validators is None and user_context is None:
            session = self._verify_from_cache(request, anti_csrf_check)
            if session is not None:
                return session
        return self.api.verify_session(
            request,
            session_required,
            anti_csrf_check,
            check_database,
            override_global_claim_validators,
            request_context(request, user_context),
        )

    def get_session(
        self,
        request: WebRequest,
        *,
        session_required: bool = True,
        anti_csrf_check: Optional[bool] = None,
        check_database: bool = False,
        override_global_claim_validators: Optional[Callable[..., Any]] = None,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Optional[Session]:
        """Verify the request's access token (FDI.md §4); ``finish`` writes a replaced token.

        The global claim validators (or what ``override_global_claim_validators`` makes of them)
        are asserted: a failure raises ``InvalidClaimError``, answered 403 by ``error_response``.
        A claim refetched on the way gives a new access token, which ``finish`` writes.
        """
        context = request_context(request, user_context)
        client = self.client()
        if request.cookie(LEGACY_ID_REFRESH_COOKIE) is not None:
            raise TryRefreshTokenError("the request has a legacy sIdRefreshToken cookie")
        allowed = self.config.allowed_transfer_method(request, False)
        method, access_token = rules.access_token_of(request, allowed)
        if method == "cookie" and request.has_multiple_cookies("sAccessToken"):
            raise TryRefreshTokenError("the request has more than one sAccessToken cookie")
        mode = self._anti_csrf_mode(request, client)
        do_check, missing_rid = rules.anti_csrf_check(request, anti_csrf_check, method, mode)
        if missing_rid:
            raise TryRefreshTokenError("anti-csrf check failed: the request has no rid header")
        if method is None or access_token is None:
            if not session_required:
                return None
            raise UnauthorisedError("the request has no session tokens", clear_tokens=False)
        session = client.get_session(
            access_token,
            request.header(ANTI_CSRF_HEADER),
            anti_csrf_check=do_check,
            session_required=session_required,
            check_database=check_database,
            override_global_claim_validators=override_global_claim_validators,
            user_context=context,
        )
        if session is not None:
            state_of(request).track(session, method, access_token)
        return session

    def create_new_session(
        self,
        request: WebRequest,
        user_id: str,
        access_token_payload: Optional[dict[str, Any]] = None,
        session_data_in_database: Optional[dict[str, Any]] = None,
        *,
        tenant_id: str = "public",
        user_context: Optional[dict[str, Any]] = None,
    ) -> Session:
        """Start a session whose tokens ``finish`` writes into the response (FDI.md §1.4).

        The method is ``st-auth-mode`` (or the configured one), else header; tokens the request
        carried in the other method are cleared. Raises ``InsecureSessionCookieError`` for
        cookies that would be SameSite=None without Secure.
        """
        context = request_context(request, user_context)
        client = self.client()
        allowed = self.config.allowed_transfer_method(request, True)
        method: TransferMethod = "header" if allowed == "any" else allowed
        settings = self.config.cookie_settings(request)
        if (
            method == "cookie"
            and settings.same_site == "none"
            and not settings.secure
            and not self.config.both_local(request)
        ):
            raise InsecureSessionCookieError(
                "session cookies would be SameSite=None without Secure, and browsers drop "
                "them: serve the API over https, set cookie_secure=True, or use header transfer"
            )
        mode = self._anti_csrf_mode(request, client)
        session = client.create_new_session(
            user_id,
            access_token_payload,
            session_data_in_database,
            tenant_id=tenant_id,
            disable_anti_csrf=method == "header" or mode != "VIA_TOKEN",
            user_context=context,
        )
        state = state_of(request)
        for other in rules.METHODS:
            if other != method and token_from(request, "access", other) is not None:
                rules.clear_session(state.effects, settings, [other])
        state.track(session, method, None)
        return session

    # --- the endpoints ---------------------------------------------------------------------------

    def refresh_session(
        self, request: WebRequest, *, user_context: Optional[dict[str, Any]] = None
    ) -> Session:
        """New tokens for the request's refresh token (FDI.md §5.2); ``finish`` writes them.

        Raises ``UnauthorisedError`` / ``TokenTheftError`` (answer with ``error_response``),
        ``ClearDuplicateSessionCookiesError``, or ``DuplicateSessionCookiesError`` (a 500)
        when session cookies are duplicated and no ``older_cookie_domain`` is set.
        """
        context = request_context(request, user_context)
        client = self.client()
        config, state = self.config, state_of(request)
        settings = config.cookie_settings(request)
        allowed = config.allowed_transfer_method(request, False)
        if allowed != "header" and rules.has_duplicate_session_cookies(request):
            if config.older_cookie_domain is None:
                raise DuplicateSessionCookiesError(
                    "the request has duplicate session cookies: set older_cookie_domain to the "
                    "cookie domain used before, so that the old cookies can be cleared"
                )
            rules.clear_older_domain_cookies(
                state.effects, settings, request, config.older_cookie_domain
            )
            raise ClearDuplicateSessionCookiesError(rules.DUPLICATE_COOKIES_MESSAGE)
        method, refresh_token = rules.refresh_token_of(request, allowed)
        legacy = request.cookie(LEGACY_ID_REFRESH_COOKIE) is not None
        if method is None or refresh_token is None:
            if legacy:
                rules.clear_legacy_cookie(state.effects, settings)
            raise UnauthorisedError("the request has no refresh token")
        disable_anti_csrf, missing_rid = rules.refresh_anti_csrf(
            request, method, self._anti_csrf_mode(request, client)
        )
        if missing_rid:
            raise UnauthorisedError("anti-csrf check failed: the request has no rid header")
        try:
            session = client.refresh_session(
                refresh_token,
                request.header(ANTI_CSRF_HEADER),
                disable_anti_csrf=disable_anti_csrf,
                user_context=context,
            )
        except (UnauthorisedError, TokenTheftError):
            if legacy:
                rules.clear_legacy_cookie(state.effects, settings)
            raise
        # The other method is cleared before the new tokens go out (as NODE does, not PY).
        for other in rules.METHODS:
            if other != method and token_from(request, "refresh", other) is not None:
                rules.clear_session(state.effects, settings, [other])
        state.track(session, method, None)
        if legacy:
            rules.clear_legacy_cookie(state.effects, settings)
        return session

    def sign_out(
        self, request: WebRequest, *, user_context: Optional[dict[str, Any]] = None
    ) -> None:
        """Revoke the request's session (FDI.md §5.3); ``finish`` clears its tokens."""
        context = request_context(request, user_context)
        session = self.get_session(
            request, override_global_claim_validators=_no_validators, user_context=context
        )
        assert session is not None  # session_required
        self.api.signout_post(request, session, context)

    def is_refresh_path(self, request: WebRequest) -> bool:
        """Whether the request's path is the refresh endpoint's (any method, any tenant)."""
        return "refresh" in request.path and (
            rules.match_endpoint(
                request,
                self.config.base_path,
                gateway_path=self.config.api_gateway_path,
                any_method=True,
            )
            == "refresh"
        )

    def handle_endpoint(self, request: WebRequest) -> Optional[ResponseEffects]:
        """The answer to ``POST {base}/session/refresh`` or ``{base}/signout`` (FDI.md §5.1),
        session errors included, or to ``GET {base}/jwt/jwks.json`` or
        ``{base}/.well-known/openid-configuration``; ``None`` when the request is for none."""
        endpoint = rules.match_endpoint(
            request,
            self.config.base_path,
            gateway_path=self.config.api_gateway_path,
            disabled=self.config.endpoints_disabled(),
        )
        if endpoint is None:
            return None
        if endpoint in JWT_ENDPOINTS:
            return answer_jwt_endpoint(self, request, endpoint)
        try:
            if endpoint == "refresh":
                self.api.refresh_post(request, request_context(request, None))
                body: dict[str, Any] = {}
            else:
                self.sign_out(request)
                body = {"status": "OK"}
        except SessionError as error:
            return self.error_response(request, error)
        return self.finish(request).answer_json(200, body)

    # --- responses -------------------------------------------------------------------------------

    def error_response(self, request: WebRequest, error: SessionError) -> ResponseEffects:
        """The answer to a session error (FDI.md §5.4), after the clears it calls for.

        Tokens attached earlier in this request are not written. The default theft handler
        revokes the session in the core, then answers 401.
        """
        if not isinstance(error, SessionError):
            raise TypeError(f"error_response takes a SessionError, not {type(error).__name__}")
        effects = state_of(request).abandon()
        clear_for_error(error, effects, self.config.cookie_settings(request))
        handler = self._handler_for(error)
        if handler is None:
            self._default_answer(request, error, effects)
            return effects
        result = handler(request, error, effects)
        if inspect.isawaitable(result):
            raise TypeError(
                "an error handler returned an awaitable: this flavor takes plain "
                "functions, and does not run event loops"
            )
        answer = effects if result is None else result
        if not isinstance(answer, ResponseEffects) or not answer.answered:
            raise TypeError(
                "an error handler must answer: call effects.answer_json(status, body) "
                "and return the effects"
            )
        return answer

    def finish(self, request: WebRequest) -> ResponseEffects:
        """What the response must carry for this request's sessions; call it just before the
        response starts (again later: only what changed since)."""
        state = request.state
        if not isinstance(state, RequestState) or state.settled():
            return ResponseEffects()  # no session operation ran, or none changed anything
        config, client = self.config, self._client
        clock = time.time if client is None else client.session_recipe._clock  # pyright: ignore[reportPrivateUsage]
        return finish_effects(state, lambda: config.cookie_settings(request), clock)

    # --- helpers ---------------------------------------------------------------------------------

    def _verify_from_cache(
        self, request: WebRequest, anti_csrf_check: Optional[bool]
    ) -> Optional[Session]:
        """What ``api.verify_session`` gives for a request whose access token the client has
        verified before, when nothing on the way is overridden: the same checks, with no I/O
        and none of its layers (a web app's common request). ``None``: take the full path.

        No user_context is made: nothing on this path would see it.
        """
        if not self._verify_shipped:
            return None
        client = self._client
        if client is None:
            client = current_default_client()  # the full path makes and checks it first
            if client is None or client is not self._checked_default:
                return None
        method_name = request.method
        if (
            method_name == "OPTIONS"
            or method_name == "TRACE"
            or (method_name == "POST" and self.is_refresh_path(request))
        ):
            return None
        config = self.config
        allowed = self._allowed or config.allowed_transfer_method(request, False)
        method: TransferMethod = "header"
        token = None if allowed == "cookie" else token_from(request, "access", "header")
        if token is None and allowed != "header":
            method, token = "cookie", token_from(request, "access", "cookie")
        if token is None or request.cookie(LEGACY_ID_REFRESH_COOKIE) is not None:
            return None
        do_check = False
        if method == "cookie" or callable(config.anti_csrf):  # a static mode was checked at init
            mode = self._anti_csrf_mode(request, client)
            if method == "cookie":
                if request.has_multiple_cookies(ACCESS_TOKEN_COOKIE):
                    return None
                do_check, missing_rid = rules.anti_csrf_check(
                    request, anti_csrf_check, method, mode
                )
                if missing_rid:
                    return None
        session = client.session_recipe.cached_session(
            token, request.header(ANTI_CSRF_HEADER), do_check
        )
        if session is not None:
            state_of(request).track_verified(session, method, token)
        return session

    def _anti_csrf_mode(self, request: WebRequest, client: Client) -> AntiCsrfMode:
        return self.config.anti_csrf_mode(request, client.session_recipe.config.anti_csrf)

    def _handler_for(self, error: SessionError) -> Optional[Callable[..., Any]]:
        handlers = self.error_handlers
        if isinstance(error, ClearDuplicateSessionCookiesError):
            return handlers.on_clear_duplicate_session_cookies
        if isinstance(error, TokenTheftError):
            return handlers.on_token_theft_detected
        if isinstance(error, UnauthorisedError):
            return handlers.on_unauthorised
        if isinstance(error, TryRefreshTokenError):
            return handlers.on_try_refresh_token
        return handlers.on_invalid_claim

    def _default_answer(
        self, request: WebRequest, error: SessionError, effects: ResponseEffects
    ) -> None:
        if isinstance(error, ClearDuplicateSessionCookiesError):
            effects.answer_json(200, {"message": str(error)})
            return
        config = self.config
        answer = default_answer(
            error, config.session_expired_status_code, config.invalid_claim_status_code
        )
        if answer is None:
            raise TypeError(f"no response is defined for {type(error).__name__}")
        if isinstance(error, TokenTheftError):
            client = self.client()
            context = request_context(request, None)
            client.revoke_session(error.session_handle, user_context=context)
        effects.answer_json(*answer)


def _client_verifies_as_shipped(client: Client) -> bool:
    return type(client).get_session is Client.get_session


def _no_validators(*args: Any) -> list[Any]:
    return []
