"""The FDI.md §9 configurations, requests as a browser or the frontend SDK sends them, and
responses read back from ``ResponseEffects`` as a browser would see them."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from email.utils import parsedate_to_datetime
from typing import Any, Optional
from urllib.parse import quote, unquote

import attrs

from authclient.web import ResponseEffects, WebConfig, WebRequest

A = WebConfig(api_domain="http://api.example.com", website_domain="http://example.com")
X = WebConfig(api_domain="https://api.example.com", website_domain="https://example.org")
T = attrs.evolve(A, anti_csrf="VIA_TOKEN")
D = attrs.evolve(A, cookie_domain=".example.com", older_cookie_domain="api.example.com")
E = attrs.evolve(A, expose_access_token_to_frontend_in_cookie_based_auth=True)
INSECURE_CROSS_SITE = WebConfig(
    api_domain="http://api.example.com", website_domain="http://example.org"
)
REFRESH_PATH = "/auth/session/refresh"
SESSION_HEADERS = ("front-token", "st-access-token", "st-refresh-token", "anti-csrf", "set-cookie")


def request(
    method: str = "POST",
    path: str = "/route",
    *,
    cookies: Sequence[tuple[str, str]] = (),
    bearer: Optional[str] = None,
    headers: Iterable[tuple[str, str]] = (),
    original: Any = None,
) -> WebRequest:
    """A request with these cookies (one raw ``Cookie`` header), Bearer token and headers."""
    pairs = list(headers)
    if cookies:
        pairs.append(("cookie", "; ".join(f"{name}={quote(value)}" for name, value in cookies)))
    if bearer is not None:
        pairs.append(("authorization", f"Bearer {bearer}"))
    return WebRequest(method, path, pairs, original=original)


@attrs.frozen
class SetCookie:
    """One ``Set-Cookie`` as a browser reads it."""

    name: str
    value: str = attrs.field(repr=False)
    expires: float
    path: Optional[str]
    domain: Optional[str]
    secure: bool
    http_only: bool
    same_site: Optional[str]
    raw: str = attrs.field(repr=False)

    @property
    def expired(self) -> bool:
        return self.expires <= 0


def parse_set_cookie(raw: str) -> SetCookie:
    first, *rest = raw.split(";")
    name, _, value = first.strip().partition("=")
    found: dict[str, str] = {}
    for item in rest:
        key, _, attr = item.strip().partition("=")
        found[key.lower()] = attr
    expires = parsedate_to_datetime(found["expires"]).timestamp() if "expires" in found else -1
    return SetCookie(
        name=name,
        value=unquote(value),
        expires=expires,
        path=found.get("path"),
        domain=found.get("domain"),
        secure="secure" in found,
        http_only="httponly" in found,
        same_site=found["samesite"].lower() if "samesite" in found else None,
        raw=raw,
    )


@attrs.frozen
class Answer:
    """A response: status (200 when the app answered), JSON body, headers in order."""

    status: int
    body: Any
    headers: list[tuple[str, str]] = attrs.field(repr=False)

    def header(self, name: str) -> Optional[str]:
        values = [value for key, value in self.headers if key.lower() == name]
        assert len(values) <= 1, f"{name} sent {len(values)} times"
        return values[0] if values else None

    @property
    def cookies(self) -> dict[str, SetCookie]:
        """The Set-Cookie headers by name (each name at most once)."""
        found = [parse_set_cookie(v) for k, v in self.headers if k.lower() == "set-cookie"]
        names = [cookie.name for cookie in found]
        assert len(names) == len(set(names)), f"a cookie is set twice: {names}"
        return {cookie.name: cookie for cookie in found}

    @property
    def exposed(self) -> list[str]:
        value = self.header("access-control-expose-headers")
        return [part.strip() for part in value.split(",")] if value else []

    @property
    def session_headers(self) -> list[str]:
        """The names of the session headers present (none: the response says nothing)."""
        return [key for key, _ in self.headers if key.lower() in SESSION_HEADERS]

    @property
    def front_token(self) -> Optional[dict[str, Any]]:
        """The decoded front token (None when absent or ``remove``)."""
        value = self.header("front-token")
        if value is None or value == "remove":
            return None
        decoded: dict[str, Any] = json.loads(base64.b64decode(value))
        return decoded

    def tokens(self) -> dict[str, str]:
        """The tokens this response hands out: access/refresh from cookies or st-* headers."""
        found: dict[str, str] = {}
        for name, cookie in self.cookies.items():
            if not cookie.expired and cookie.value:
                found[{"sAccessToken": "access", "sRefreshToken": "refresh"}.get(name, name)] = (
                    cookie.value
                )
        for header, kind in (("st-access-token", "access"), ("st-refresh-token", "refresh")):
            value = self.header(header)
            if value:
                found[kind] = value
        anti_csrf = self.header("anti-csrf")
        if anti_csrf:
            found["anti_csrf"] = anti_csrf
        return found


def read(effects: ResponseEffects, app_headers: Iterable[tuple[str, str]] = ()) -> Answer:
    """The response a browser gets: the layer's answer, or the app's 200 with the effects."""
    headers = effects.apply_headers(app_headers)
    body = json.loads(effects.body) if effects.body is not None else None
    return Answer(effects.status if effects.status is not None else 200, body, headers)


def is_full_clear(answer: Answer, *, domain: Optional[str] = None) -> bool:
    """Both methods cleared (FDI.md §1.5): expired cookies, empty st-*, ``front-token: remove``."""
    cookies = answer.cookies
    access, refresh = cookies.get("sAccessToken"), cookies.get("sRefreshToken")
    return (
        access is not None
        and refresh is not None
        and access.expired
        and refresh.expired
        and access.path == "/"
        and refresh.path == REFRESH_PATH
        and access.domain == refresh.domain == domain
        and answer.header("st-access-token") == ""
        and answer.header("st-refresh-token") == ""
        and answer.header("front-token") == "remove"
        and answer.header("anti-csrf") is None
        and {"front-token", "st-access-token", "st-refresh-token"} <= set(answer.exposed)
    )


ONE_YEAR = 365 * 24 * 3600
