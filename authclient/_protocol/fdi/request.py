"""The framework-neutral view of a request, and reading session tokens from it (FDI.md §1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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

# The names the session layer reads on every request, as ASGI spells them.
_SESSION_HEADER_BYTES = {
    name: name.encode("latin-1")
    for name in ("authorization", "cookie", ANTI_CSRF_HEADER, AUTH_MODE_HEADER, "rid")
}

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

    ``headers`` are (name, value) pairs, repeats kept in order: str pairs (any case), or
    latin-1 bytes pairs with lower-cased names as ASGI has them; ``path`` is the URL path
    without the query string; ``original`` is the framework's own request object, which
    overrides find in ``user_context["_default"]["request"]``. The request-level operations
    keep what they did for this request in ``state`` (so the adapter's ``finish`` call can
    write it).
    """

    __slots__ = ("_by_bytes", "_cookies", "_first", "_pairs", "method", "original", "path", "state")

    def __init__(self, method: str, path: str, headers: HeaderPairs, original: Any = None) -> None:
        self.method = method.upper()
        self.path = path
        self.original = original
        self.state: Any = None
        # Indexed when first read: a request reads a few of its headers, and ASGI's are bytes.
        self._pairs = headers if isinstance(headers, (list, tuple)) else list(headers)
        self._first: Optional[dict[Any, Union[str, bytes]]] = None  # name -> its first value
        self._by_bytes = False  # whether _first's keys are the bytes names as given
        self._cookies: Optional[list[tuple[str, str]]] = None

    def __repr__(self) -> str:
        return f"WebRequest({self.method!r}, {self.path!r})"

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        """Every header as (lower-cased name, value) str pairs, in order."""
        return tuple([(_text(name).lower(), _text(value)) for name, value in self._pairs])

    def _index(self) -> dict[Any, Union[str, bytes]]:
        pairs = self._pairs
        if pairs and type(pairs[0][0]) is bytes:
            self._by_bytes = True
            first = self._first = dict(reversed(pairs))  # the first value wins
        else:
            first = self._first = {_text(name).lower(): value for name, value in reversed(pairs)}
        return first

    def header(self, name: str) -> Optional[str]:
        """The first value of header ``name`` (any case), or None."""
        first = self._first
        if first is None:
            first = self._index()
        if self._by_bytes:
            key: Union[str, bytes, None] = _SESSION_HEADER_BYTES.get(name)
            if key is None:
                try:
                    key = name.lower().encode("latin-1")
                except UnicodeEncodeError:  # no header has such a name
                    return None
        else:
            key = name.lower()
        value = first.get(key)
        return None if value is None else _text(value)

    def _all(self, name: str) -> list[str]:
        """Every value of header ``name`` (lower-case), in order."""
        first = self._first
        if first is None:
            first = self._index()
        if len(first) == len(self._pairs):  # no name repeats
            value = self.header(name)
            return [] if value is None else [value]
        return [_text(value) for key, value in self._pairs if _text(key).lower() == name]

    def cookie_pairs(self) -> list[tuple[str, str]]:
        """Every cookie of every ``Cookie`` header, unquoted, repeats kept (FDI.md §1.6)."""
        pairs = self._cookies
        if pairs is None:
            pairs = self._cookies = []
            for value in self._all("cookie"):
                for item in value.split(";"):
                    parts = item.split("=")
                    if len(parts) == 2:
                        pairs.append((unquote(parts[0].strip()), unquote(parts[1].strip())))
        return list(pairs)

    def cookie(self, name: str) -> Optional[str]:
        """The value of cookie ``name`` (the first of repeats), or None."""
        pairs = self._cookies
        if pairs is None:
            if self.header("cookie") is None:
                return None  # most requests in header mode: nothing to parse
            pairs = self.cookie_pairs()
        for key, value in pairs:
            if key == name:
                return value
        return None

    def has_multiple_cookies(self, name: str) -> bool:
        """Whether the raw ``Cookie`` header carries ``name`` more than once."""
        return sum(key == name for key, _ in self.cookie_pairs()) > 1


class EnvironRequest(WebRequest):
    """A WSGI request's view: headers read from the environ's ``HTTP_*`` keys (and
    ``CONTENT_TYPE`` / ``CONTENT_LENGTH``) when asked for, nothing copied up front. A WSGI
    server has joined repeated headers into one value already; the path is
    ``SCRIPT_NAME + PATH_INFO``."""

    __slots__ = ("_environ",)

    def __init__(self, environ: Mapping[str, Any], original: Any = None) -> None:
        # WebRequest's fields, set here (one per request: no second frame); no header pairs.
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        self.path = path or "/"
        self.original = original
        self.state = None
        self._pairs = ()
        self._first = None
        self._by_bytes = False
        self._cookies = None
        self._environ = environ

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        found: list[tuple[str, str]] = []
        for key, value in self._environ.items():
            if key.startswith("HTTP_"):
                found.append((key[5:].replace("_", "-").lower(), value))
            elif key in _CONTENT_KEYS and value:
                found.append((key.replace("_", "-").lower(), value))
        return tuple(found)

    def header(self, name: str) -> Optional[str]:
        key = _SESSION_ENVIRON_KEYS.get(name)
        if key is None:
            key = name.upper().replace("-", "_")
            if key in _CONTENT_KEYS:
                return self._environ.get(key) or None
            key = "HTTP_" + key
        value = self._environ.get(key)
        return value if isinstance(value, str) else None

    def _all(self, name: str) -> list[str]:
        value = self.header(name)
        return [] if value is None else [value]


_CONTENT_KEYS = ("CONTENT_TYPE", "CONTENT_LENGTH")
# The environ keys of the names the session layer reads on every request.
_SESSION_ENVIRON_KEYS = {
    name: "HTTP_" + name.upper().replace("-", "_") for name in _SESSION_HEADER_BYTES
}


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
