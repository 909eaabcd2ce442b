"""The framework-neutral view of a request, and reading session tokens from it (FDI.md §1)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, Optional, Union
from urllib.parse import unquote

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


def _text(value: Union[str, bytes]) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


class WebRequest:
    """One web request as the session layer sees it: built by an adapter, one per request.

    ``headers`` are (name, value) pairs, names lower-cased, repeats kept in order (str, or
    latin-1 bytes as ASGI has them); ``path`` is the URL path without the query string;
    ``original`` is the framework's own request object, which overrides find in
    ``user_context["_default"]["request"]``. The request-level operations keep what they
    did for this request in ``state`` (so the adapter's ``finish`` call can write it).
    """

    __slots__ = ("_names", "_pairs", "_values", "method", "original", "path", "state")

    def __init__(self, method: str, path: str, headers: HeaderPairs, original: Any = None) -> None:
        self.method = method.upper()
        self.path = path
        self.original = original
        self.state: Any = None
        # Decoded when first read: a request reads a few of its headers, and ASGI's are bytes.
        self._pairs = headers if isinstance(headers, (list, tuple)) else list(headers)
        self._names: Optional[list[str]] = None
        self._values: Optional[list[Union[str, bytes]]] = None

    def __repr__(self) -> str:
        return f"WebRequest({self.method!r}, {self.path!r})"

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """Every header as (lower-cased name, value) str pairs, in order."""
        names, values = self._decoded_names()
        return tuple([(name, _text(value)) for name, value in zip(names, values)])

    def _decoded_names(self) -> tuple[list[str], list[Union[str, bytes]]]:
        names, values = self._names, self._values
        if names is None or values is None:
            pairs = self._pairs
            names = self._names = [
                (name.decode("latin-1") if type(name) is bytes else str(name)).lower()
                for name, _ in pairs
            ]
            values = self._values = [value for _, value in pairs]
        return names, values

    def header(self, name: str) -> Optional[str]:
        """The first value of header ``name`` (any case), or None."""
        names, values = self._decoded_names()
        try:
            return _text(values[names.index(name.lower())])
        except ValueError:
            return None

    def _all(self, name: str) -> list[str]:
        names, values = self._decoded_names()
        return [_text(value) for key, value in zip(names, values) if key == name]

    def cookie_pairs(self) -> list[tuple[str, str]]:
        """Every cookie of every ``Cookie`` header, unquoted, repeats kept (FDI.md §1.6)."""
        pairs: list[tuple[str, str]] = []
        for value in self._all("cookie"):
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
