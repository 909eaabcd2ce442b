"""Response effects: what the web layer adds to, or answers instead of, the app's response.

An adapter applies them with one call (``apply_headers`` / ``apply_raw_headers``) to the header
list of the framework's response; when ``status`` is set, the layer answers the request itself
and the adapter sends ``status``, ``body`` and ``apply_headers([])``. Values (tokens) never
appear in a repr.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from email.utils import formatdate
from typing import Any, Literal, Optional, Union
from urllib.parse import quote

import attrs

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
EXPOSE_HEADER = "access-control-expose-headers"
SameSite = Literal["lax", "strict", "none"]


@attrs.frozen
class Cookie:
    """One ``Set-Cookie``. ``expires`` is seconds since the epoch (0 deletes the cookie).

    ``value`` is the plain value; ``header_value()`` URL-quotes it.
    """

    name: str
    value: str = attrs.field(repr=False)
    expires: float
    path: str
    domain: Optional[str]
    secure: bool
    same_site: SameSite
    http_only: bool = True

    def header_value(self) -> str:
        parts = [
            f"{self.name}={quote(self.value)}",
            f"Expires={formatdate(self.expires, usegmt=True)}",
            f"Path={self.path}",
        ]
        if self.domain:
            parts.append(f"Domain={self.domain}")
        if self.http_only:
            parts.append("HttpOnly")
        if self.secure:
            parts.append("Secure")
        parts.append(f"SameSite={self.same_site.capitalize()}")
        return "; ".join(parts)

    def same_slot(self, other: Cookie) -> bool:
        """Whether ``other`` replaces this cookie in a browser (same name, path and domain)."""
        return (self.name, self.path, self.domain) == (other.name, other.path, other.domain)


@attrs.frozen
class SetHeader:
    """Set ``name`` to ``value``, replacing every earlier value in the response."""

    name: str
    value: str = attrs.field(repr=False)


@attrs.frozen
class RemoveHeader:
    """Remove every value of ``name`` from the response."""

    name: str


@attrs.frozen
class SetCookie:
    """Add a ``Set-Cookie`` header."""

    cookie: Cookie


@attrs.frozen
class Expose:
    """Append ``name`` to ``Access-Control-Expose-Headers`` unless it is listed already."""

    name: str


HeaderOperation = Union[SetHeader, RemoveHeader, SetCookie, Expose]


def _no_operations() -> list[HeaderOperation]:
    return []  # a plain function: list[HeaderOperation]() builds a generic alias on each call


@attrs.define(eq=False)
class ResponseEffects:
    """Header operations in order, and optionally a status and body that answer the request."""

    status: Optional[int] = None
    body: Optional[bytes] = None
    operations: list[HeaderOperation] = attrs.field(factory=_no_operations, repr=False)

    def __repr__(self) -> str:
        names = [_op_name(op) for op in self.operations]
        return f"ResponseEffects(status={self.status!r}, operations={names!r})"

    @property
    def answered(self) -> bool:
        """Whether the layer answers the request itself (``status`` and ``body`` are set)."""
        return self.status is not None

    def answer_json(self, status: int, value: Any) -> ResponseEffects:
        """Answer with ``value`` as compact JSON (``application/json; charset=utf-8``)."""
        self.status = status
        self.body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        self.set_header("content-type", JSON_CONTENT_TYPE)
        return self

    def set_header(self, name: str, value: str) -> None:
        self.operations.append(SetHeader(name.lower(), value))

    def remove_header(self, name: str) -> None:
        self.operations.append(RemoveHeader(name.lower()))

    def expose(self, name: str) -> None:
        self.operations.append(Expose(name.lower()))

    def set_cookie(self, cookie: Cookie) -> None:
        """Add ``cookie``; an earlier one here for the same name, path and domain is dropped."""
        self.operations = [
            op
            for op in self.operations
            if not (isinstance(op, SetCookie) and op.cookie.same_slot(cookie))
        ]
        self.operations.append(SetCookie(cookie))

    def extend(self, other: ResponseEffects) -> ResponseEffects:
        """Add ``other``'s operations after these (and its status and body, if it has them)."""
        for op in other.operations:
            if isinstance(op, SetCookie):
                self.set_cookie(op.cookie)
            else:
                self.operations.append(op)
        if other.status is not None:
            self.status, self.body = other.status, other.body
        return self

    @property
    def cookies(self) -> list[Cookie]:
        """The cookies set, in order (for frameworks whose responses keep cookies apart)."""
        return [op.cookie for op in self.operations if isinstance(op, SetCookie)]

    def apply_headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """``headers`` (a response's, any case) with these operations applied, in order."""
        result = list(headers)
        for op in self.operations:
            if isinstance(op, SetCookie):
                result.append(("set-cookie", op.cookie.header_value()))
            elif isinstance(op, Expose):
                result = _expose(result, op.name)
            else:
                result = [(name, value) for name, value in result if name.lower() != op.name]
                if isinstance(op, SetHeader):
                    result.append((op.name, op.value))
        return result

    def apply_raw_headers(
        self, headers: Iterable[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        """``apply_headers`` for latin-1 byte pairs, as ASGI carries them."""
        text = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]
        return [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in self.apply_headers(text)
        ]


def _expose(headers: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    for index, (key, value) in enumerate(headers):
        if key.lower() == EXPOSE_HEADER:
            listed = [part.strip().lower() for part in value.split(",")]
            if name not in listed:
                headers[index] = (key, f"{value}, {name}" if value.strip() else name)
            return headers
    headers.append((EXPOSE_HEADER, name))
    return headers


def _op_name(op: HeaderOperation) -> str:
    if isinstance(op, SetCookie):
        return f"set-cookie {op.cookie.name}"
    if isinstance(op, SetHeader):
        return f"set {op.name}"
    if isinstance(op, RemoveHeader):
        return f"remove {op.name}"
    return f"expose {op.name}"
