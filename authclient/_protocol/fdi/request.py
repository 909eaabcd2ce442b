"""The framework-neutral view of a request, and reading session tokens from it (FDI.md §1)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, Optional, Union
from urllib.parse import unquote

import attrs

ACCESS_TOKEN_COOKIE = "sAccessToken"
REFRESH_TOKEN_COOKIE = "sRefreshToken"
LEGACY_ID_REFRESH_COOKIE = "sIdRefreshToken"
ACCESS_TOKEN_HEADER = "st-access-token"
REFRESH_TOKEN_HEADER = "st-refresh-token"
FRONT_TOKEN_HEADER = "front-token"
ANTI_CSRF_HEADER = "anti-csrf"
AUTH_MODE_HEADER = "st-auth-mode"

TransferMethod = Literal["cookie", "header"]
TokenKind = Literal["access", "refresh"]
_COOKIE_NAMES: dict[TokenKind, str] = {
    "access": ACCESS_TOKEN_COOKIE,
    "refresh": REFRESH_TOKEN_COOKIE,
}

HeaderPairs = Iterable[tuple[Union[str, bytes], Union[str, bytes]]]


def _headers(pairs: HeaderPairs) -> tuple[tuple[str, str], ...]:
    # Runs for every header of every request, so it is kept to one expression.
    return tuple(
        [
            (
                (name.decode("latin-1") if isinstance(name, bytes) else name).lower(),
                value.decode("latin-1") if isinstance(value, bytes) else value,
            )
            for name, value in pairs
        ]
    )


def _method(method: str) -> str:
    return method.upper()


@attrs.define(eq=False, repr=False)
class WebRequest:
    """One web request as the session layer sees it: built by an adapter, one per request.

    ``headers`` are (name, value) pairs, names lower-cased, repeats kept in order (str, or
    latin-1 bytes as ASGI has them); ``path`` is the URL path without the query string;
    ``original`` is the framework's own request object, which overrides find in
    ``user_context["_default"]["request"]``. The request-level operations keep what they
    did for this request in ``state`` (so the adapter's ``finish`` call can write it).
    """

    method: str = attrs.field(converter=_method)
    path: str
    headers: tuple[tuple[str, str], ...] = attrs.field(converter=_headers)
    original: Any = None
    state: Any = attrs.field(default=None, init=False)

    def __repr__(self) -> str:
        return f"WebRequest({self.method!r}, {self.path!r})"

    def header(self, name: str) -> Optional[str]:
        """The first value of header ``name`` (any case), or None."""
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def cookie_pairs(self) -> list[tuple[str, str]]:
        """Every cookie of every ``Cookie`` header, unquoted, repeats kept (FDI.md §1.6)."""
        pairs: list[tuple[str, str]] = []
        for key, value in self.headers:
            if key != "cookie":
                continue
            for item in value.split(";"):
                parts = item.split("=")
                if len(parts) == 2:
                    pairs.append((unquote(parts[0].strip()), unquote(parts[1].strip())))
        return pairs

    def cookie(self, name: str) -> Optional[str]:
        """The value of cookie ``name`` (the first of repeats), or None."""
        for key, value in self.cookie_pairs():
            if key == name:
                return value
        return None

    def has_multiple_cookies(self, name: str) -> bool:
        """Whether the raw ``Cookie`` header carries ``name`` more than once."""
        return sum(key == name for key, _ in self.cookie_pairs()) > 1


def token_from(request: WebRequest, kind: TokenKind, method: TransferMethod) -> Optional[str]:
    """The access or refresh token the request carries in ``method``, or None.

    Header: ``authorization: Bearer <t>`` (exactly that case and one space); the same header
    carries the access token, or the refresh token on the refresh call. Cookie: the unquoted
    ``sAccessToken`` / ``sRefreshToken``. Empty values count as none.
    """
    if method == "cookie":
        return request.cookie(_COOKIE_NAMES[kind]) or None
    value = request.header("authorization")
    if value is None or not value.startswith("Bearer "):
        return None
    return value[len("Bearer ") :].strip() or None


def auth_mode(request: WebRequest) -> Optional[TransferMethod]:
    """The frontend's ``st-auth-mode`` preference, when it is ``cookie`` or ``header``."""
    value = (request.header(AUTH_MODE_HEADER) or "").lower()
    return "cookie" if value == "cookie" else "header" if value == "header" else None
