"""The FDI decisions as pure functions: transfer method, anti-CSRF, writing and clearing tokens,
errors as responses, and routing (FDI.md §1, §4, §5). Time is passed in (seconds)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Literal, Optional

import attrs

from authclient._protocol.fdi.effects import Cookie, ResponseEffects, SameSite
from authclient._protocol.fdi.request import (
    ACCESS_TOKEN_COOKIE,
    ACCESS_TOKEN_HEADER,
    ANTI_CSRF_HEADER,
    FRONT_TOKEN_HEADER,
    LEGACY_ID_REFRESH_COOKIE,
    REFRESH_TOKEN_COOKIE,
    REFRESH_TOKEN_HEADER,
    TransferMethod,
    WebRequest,
    auth_mode,
    token_from,
)
from authclient._protocol.tokens import TokenParseError, parse_access_token
from authclient._protocol.urls import normalise_path
from authclient.types import AntiCsrfMode

AllowedMethod = Literal["any", "cookie", "header"]
Endpoint = Literal["refresh", "signout", "jwks", "openid_configuration"]
ONE_YEAR = 365 * 24 * 3600
METHODS: tuple[TransferMethod, ...] = ("header", "cookie")
SESSION_RECIPE_ID = "session"
# The recipes whose endpoints this layer serves (the session recipe's own, and the jwt and openid
# recipes' the official SDKs' session recipe brings): a rid naming one of them never takes a
# request away, since none claims another's path (FDI.md §5.1: such a rid counts as none).
SERVED_RECIPE_IDS = frozenset({SESSION_RECIPE_ID, "jwt", "openid"})

UNAUTHORISED_BODY = {"message": "unauthorised"}
TRY_REFRESH_BODY = {"message": "try refresh token"}
THEFT_BODY = {"message": "token theft detected"}
DUPLICATE_COOKIES_MESSAGE = (
    "The request contains multiple session cookies. We are clearing the cookie from "
    "older_cookie_domain. Session will be refreshed in the next refresh call."
)


@attrs.frozen
class CookieSettings:
    """The cookie attributes for one request (SameSite and Secure resolved for it)."""

    same_site: SameSite
    secure: bool
    domain: Optional[str]
    refresh_path: str
    expose_access_token: bool = False


# --- reading -----------------------------------------------------------------------------------


def verify_method(allowed: AllowedMethod) -> tuple[TransferMethod, ...]:
    """The methods to look in for verify, refresh and signout, in order (header first)."""
    return METHODS if allowed == "any" else (allowed,)


def access_token_of(
    request: WebRequest, allowed: AllowedMethod
) -> tuple[Optional[TransferMethod], Optional[str]]:
    """The access token to verify and where it came from (§4 steps 3-5): the header, then the
    cookie; a token that does not parse is dropped, so garbage never hides the other one."""
    for method in verify_method(allowed):
        token = token_from(request, "access", method)
        if token is not None and _parses(token):
            return method, token
    return None, None


def refresh_token_of(
    request: WebRequest, allowed: AllowedMethod
) -> tuple[Optional[TransferMethod], Optional[str]]:
    """The refresh token and where it came from (§5.2 step 2): the header, then the cookie."""
    for method in verify_method(allowed):
        token = token_from(request, "refresh", method)
        if token is not None:
            return method, token
    return None, None


# The hashes of tokens seen to parse (no token is kept). The client parses the chosen token
# again to verify it; a token reused request after request is then parsed only once here.
_PARSEABLE: set[int] = set()
_PARSEABLE_MAX = 4096


def _parses(token: str) -> bool:
    key = hash(token)
    if key in _PARSEABLE:
        return True
    try:
        parse_access_token(token)
    except TokenParseError:
        return False
    if len(_PARSEABLE) >= _PARSEABLE_MAX:
        _PARSEABLE.clear()
    _PARSEABLE.add(key)
    return True


def default_allowed(request: WebRequest, for_create_new_session: bool) -> AllowedMethod:
    """The default ``token_transfer_method``: ``st-auth-mode`` at create, else ``any``."""
    return (auth_mode(request) or "any") if for_create_new_session else "any"


def anti_csrf_check(
    request: WebRequest,
    requested: Optional[bool],
    method: Optional[TransferMethod],
    mode: AntiCsrfMode,
) -> tuple[bool, bool]:
    """(``do_check``, ``try_refresh``) for a verify (§4 steps 6-7).

    ``do_check`` is whether the VIA_TOKEN comparison runs; ``try_refresh`` is true when
    VIA_CUSTOM_HEADER finds no ``rid`` header.
    """
    do_check = requested if requested is not None else request.method != "GET"
    if method != "cookie":
        return False, False
    if do_check and mode == "VIA_CUSTOM_HEADER":
        return False, request.header("rid") is None
    return do_check and mode == "VIA_TOKEN", False


def refresh_anti_csrf(
    request: WebRequest, method: TransferMethod, mode: AntiCsrfMode
) -> tuple[bool, bool]:
    """(``disable_anti_csrf`` for the core call, ``unauthorised``) for a refresh (§5.2 step 4)."""
    if method == "header":
        return True, False
    if mode == "VIA_CUSTOM_HEADER":
        has_rid = request.header("rid") is not None
        return True, not has_rid
    return mode != "VIA_TOKEN", False


# --- writing -----------------------------------------------------------------------------------


def _cookie(settings: CookieSettings, name: str, value: str, expires: float, path: str) -> Cookie:
    return Cookie(name, value, expires, path, settings.domain, settings.secure, settings.same_site)


def write_front_token(effects: ResponseEffects, front_token: str) -> None:
    effects.set_header(FRONT_TOKEN_HEADER, front_token)
    effects.expose(FRONT_TOKEN_HEADER)


def write_access_token(
    effects: ResponseEffects,
    settings: CookieSettings,
    method: TransferMethod,
    access_token: str,
    *,
    now: float,
) -> None:
    """The access token: a one-year cookie (§1.2, plus the §1.7 header copy) or a header."""
    if method == "cookie":
        effects.set_cookie(
            _cookie(settings, ACCESS_TOKEN_COOKIE, access_token, now + ONE_YEAR, "/")
        )
        if not settings.expose_access_token:
            return
    effects.set_header(ACCESS_TOKEN_HEADER, access_token)
    effects.expose(ACCESS_TOKEN_HEADER)


def write_refresh_token(
    effects: ResponseEffects,
    settings: CookieSettings,
    method: TransferMethod,
    refresh_token: str,
    expiry_ms: int,
) -> None:
    """The refresh token: a cookie on the refresh path until the session expires, or a header."""
    if method == "cookie":
        cookie = _cookie(
            settings, REFRESH_TOKEN_COOKIE, refresh_token, expiry_ms / 1000, settings.refresh_path
        )
        effects.set_cookie(cookie)
    else:
        effects.set_header(REFRESH_TOKEN_HEADER, refresh_token)
        effects.expose(REFRESH_TOKEN_HEADER)


def write_anti_csrf(effects: ResponseEffects, anti_csrf_token: str) -> None:
    effects.set_header(ANTI_CSRF_HEADER, anti_csrf_token)
    effects.expose(ANTI_CSRF_HEADER)


def write_tokens(
    effects: ResponseEffects,
    settings: CookieSettings,
    method: TransferMethod,
    *,
    front_token: str,
    access_token: str,
    refresh_token: Optional[tuple[str, int]],
    anti_csrf_token: Optional[str],
    now: float,
) -> None:
    """Attach a session in the incumbents' order: front token, access, refresh, anti-CSRF."""
    write_front_token(effects, front_token)
    write_access_token(effects, settings, method, access_token, now=now)
    if refresh_token is not None:
        write_refresh_token(effects, settings, method, *refresh_token)
    if anti_csrf_token is not None:
        write_anti_csrf(effects, anti_csrf_token)


def clear_session(
    effects: ResponseEffects,
    settings: CookieSettings,
    methods: Sequence[TransferMethod] = ("cookie", "header"),
) -> None:
    """§1.5 for each method: expired cookies or empty ``st-*``; no ``anti-csrf``; ``remove``."""
    for method in methods:
        if method == "cookie":
            effects.set_cookie(_cookie(settings, ACCESS_TOKEN_COOKIE, "", 0, "/"))
            effects.set_cookie(
                _cookie(settings, REFRESH_TOKEN_COOKIE, "", 0, settings.refresh_path)
            )
        else:
            for name in (ACCESS_TOKEN_HEADER, REFRESH_TOKEN_HEADER):
                effects.set_header(name, "")
                effects.expose(name)
        effects.remove_header(ANTI_CSRF_HEADER)
        write_front_token(effects, "remove")


def clear_legacy_cookie(effects: ResponseEffects, settings: CookieSettings) -> None:
    """Expire ``sIdRefreshToken`` (Path=/, the cookie domain) (§1.8)."""
    effects.set_cookie(_cookie(settings, LEGACY_ID_REFRESH_COOKIE, "", 0, "/"))


def clear_older_domain_cookies(
    effects: ResponseEffects,
    settings: CookieSettings,
    request: WebRequest,
    older_cookie_domain: str,
) -> None:
    """Expire each duplicated session cookie on ``older_cookie_domain`` ("" = host-only) (§1.6)."""
    older = attrs.evolve(settings, domain=older_cookie_domain or None)
    for name, path in ((ACCESS_TOKEN_COOKIE, "/"), (REFRESH_TOKEN_COOKIE, settings.refresh_path)):
        if request.has_multiple_cookies(name):
            effects.set_cookie(_cookie(older, name, "", 0, path))


def has_duplicate_session_cookies(request: WebRequest) -> bool:
    return any(
        request.has_multiple_cookies(name) for name in (ACCESS_TOKEN_COOKIE, REFRESH_TOKEN_COOKIE)
    )


# --- errors ------------------------------------------------------------------------------------


def claim_errors_body(errors: Sequence[tuple[str, Optional[Any]]]) -> dict[str, Any]:
    """The 403 body for failed claims: ``reason`` left out when it is None (§5.4)."""
    items = [
        {"id": id_} if reason is None else {"id": id_, "reason": reason} for id_, reason in errors
    ]
    return {"message": "invalid claim", "claimValidationErrors": items}


# --- routing -----------------------------------------------------------------------------------


_ENDPOINTS: dict[str, Endpoint] = {
    "/session/refresh": "refresh",
    "/signout": "signout",
    "/jwt/jwks.json": "jwks",
    "/.well-known/openid-configuration": "openid_configuration",
}
_HTTP_METHOD: dict[Endpoint, str] = {
    "refresh": "POST",
    "signout": "POST",
    "jwks": "GET",
    "openid_configuration": "GET",
}


def may_name_endpoint(method: str, path: str) -> bool:
    """False when ``method`` and ``path`` can name none of the endpoints (most of an app's
    traffic): a check that needs no ``WebRequest``, and keeps those paths out of the cache."""
    if method == "POST":
        return "refresh" in path or "signout" in path
    if method == "GET":
        return "jwks.json" in path or "openid-configuration" in path
    return False


def match_endpoint(
    request: WebRequest,
    base_path: str,
    *,
    gateway_path: str = "",
    disabled: Sequence[Endpoint] = (),
    known_recipe_ids: Sequence[str] = (SESSION_RECIPE_ID,),
    any_method: bool = False,
) -> Optional[Endpoint]:
    """Which endpoint the request is for, if any (§5.1).

    POST ``{base}/session/refresh`` and ``{base}/signout``; GET ``{base}/jwt/jwks.json`` and
    ``{base}/.well-known/openid-configuration`` (the jwt and openid recipes' endpoints, which
    the official SDKs serve with the session recipe); each also below a tenant id
    (``{base}/<tenant>/...``). ``any_method`` matches the path alone. ``base_path`` is gateway
    + base and the request's path is matched with ``gateway_path`` in front. A ``rid`` naming
    another known recipe (``known_recipe_ids``, served elsewhere) takes the request away;
    ``anti-csrf``, unknown rids and the rids of the recipes served here count as no rid (so with
    the session recipe alone, rid never blocks a match).
    """
    method = request.method
    if not any_method and not may_name_endpoint(method, request.path):
        return None
    rid = request.header("rid")
    if rid is not None and rid in known_recipe_ids and rid not in SERVED_RECIPE_IDS:
        return None
    endpoint = _endpoint_at(request.path, base_path, gateway_path)
    if endpoint is None or endpoint in disabled:
        return None
    if not any_method and _HTTP_METHOD[endpoint] != method:
        return None
    return endpoint


@functools.lru_cache(maxsize=512)
def _endpoint_at(request_path: str, base_path: str, gateway_path: str) -> Optional[Endpoint]:
    """The endpoint a path names, if any (remembered: every request asks, once or twice)."""
    path = gateway_path + normalise_path(request_path)
    if not (path == base_path or path.startswith(base_path + "/")):
        return None
    rest = path[len(base_path) :]
    endpoint = _ENDPOINTS.get(rest)
    if endpoint is None:
        parts = rest.split("/", 2)
        if len(parts) == 3 and parts[1]:
            endpoint = _ENDPOINTS.get("/" + parts[2])
    return endpoint
