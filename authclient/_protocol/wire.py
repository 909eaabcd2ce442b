"""Requests to and responses from the core, as plain data, plus the retry policy."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Callable, NoReturn, Optional, cast
from urllib.parse import urlencode

import attrs

from authclient._protocol.redact import mask_secret_fields, secrets_in
from authclient.errors import CoreResponseError
from authclient.types import RequestInfo

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def encode_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def call_context(user_context: Optional[dict[str, Any]]) -> dict[str, Any]:
    """The user_context of one call: ``None`` becomes a fresh ``{}``; a dict passes as itself."""
    return {} if user_context is None else user_context


def is_recipe_path(path: str) -> bool:
    """The SDKs send ``rid`` only on recipe paths: /recipe/... or /<tenant>/recipe/..."""
    parts = path.split("/")
    return (len(parts) > 1 and parts[1] == "recipe") or (len(parts) > 2 and parts[2] == "recipe")


@attrs.frozen
class CoreRequest:
    """One call to the core, relative to a host's base path.

    ``idempotent`` says whether a 5xx may be retried: repeating it cannot change the outcome.
    ``versioned`` says whether the cdi-version header is sent (all but /apiversion and JWKS).
    ``secrets`` are the tokens the body carries, masked in any error that quotes them back.
    """

    method: str
    path: str
    query: Optional[Mapping[str, str]] = None
    body: Optional[bytes] = attrs.field(default=None, repr=False)
    recipe_id: Optional[str] = None
    idempotent: bool = True
    versioned: bool = True
    secrets: tuple[str, ...] = attrs.field(default=(), repr=False)

    @classmethod
    def with_json(
        cls, method: str, path: str, body: Any, *, recipe_id: str, idempotent: bool
    ) -> CoreRequest:
        body_bytes = encode_json(body)
        return cls(
            method, path, None, body_bytes, recipe_id, idempotent, secrets=tuple(secrets_in(body))
        )

    def headers(self, cdi_version: Optional[str], base: Mapping[str, str]) -> dict[str, str]:
        headers = dict(base)
        if self.versioned and cdi_version is not None:
            headers["cdi-version"] = cdi_version
        if self.recipe_id is not None and is_recipe_path(self.path):
            headers["rid"] = self.recipe_id
        if self.method in ("POST", "PUT"):
            headers["content-type"] = JSON_CONTENT_TYPE
        return headers

    def info(
        self, url: str, headers: Mapping[str, str], user_context: dict[str, Any], attempt: int
    ) -> RequestInfo:
        """What an ``on_request`` hook is shown: the full URL, and the api key redacted."""
        shown = {name: ("***" if name == "api-key" else value) for name, value in headers.items()}
        if self.query:
            url = f"{url}?{urlencode(self.query)}"
        return RequestInfo(self.method, url, shown, self.body, user_context, attempt)


@attrs.frozen
class CoreResponse:
    """A 2xx JSON-object answer from the core, and where it came from (for error messages)."""

    request: CoreRequest
    host: str
    status_code: int
    data: dict[str, Any]
    headers: Mapping[str, str] = attrs.field(factory=dict[str, str], repr=False)

    def unexpected(self, why: str) -> CoreResponseError:
        return CoreResponseError(
            f"unexpected response: {why}",
            status_code=self.status_code,
            body=json.dumps(mask_secret_fields(self.data))[:2000],
            method=self.request.method,
            path=self.request.path,
            host=self.host,
        )

    def require_ok(self) -> dict[str, Any]:
        status = self.data.get("status")
        if status != "OK":
            raise self.unexpected(f"status {status!r}")
        return self.data

    def field(self, name: str, kind: type[Any]) -> Any:
        value = self.data.get(name)
        if not isinstance(value, kind):
            raise self.unexpected(f"{name!r} is missing or not a {kind.__name__}")
        return value


def parse_response(
    request: CoreRequest,
    host: str,
    status_code: int,
    content: bytes,
    headers: Mapping[str, str],
    *,
    redact: Callable[[str], str],
    api_key_sent: bool,
) -> CoreResponse:
    """Turn a raw answer into a ``CoreResponse``, or raise ``CoreResponseError``.

    ``redact`` masks the secrets of this call (the api key, the request's tokens) in whatever
    the answer quotes back.
    """

    def fail(message: str) -> NoReturn:
        body = redact(content.decode("utf-8", "replace"))
        if _looks_like_html(body):
            message = f"{message}; the answer is an HTML page: is {host} a SuperTokens core?"
            body = body[:200]
        raise CoreResponseError(
            redact(message),
            status_code=status_code,
            body=body[:2000],
            method=request.method,
            path=request.path,
            host=host,
        )

    if status_code == 401:
        fail(
            "the core refused the api key"
            if api_key_sent
            else "the core wants an api key: pass api_key= or set AUTHCLIENT_API_KEY"
        )
    if not 200 <= status_code < 300:
        fail("the core returned an error")
    try:
        data = json.loads(content)
    except ValueError:
        fail("the response is not JSON")
    if not isinstance(data, dict):
        fail("the response is not a JSON object")
    return CoreResponse(request, host, status_code, cast("dict[str, Any]", data), headers)


def _looks_like_html(body: str) -> bool:
    # Not the content type: the real core labels its plain-text errors text/html.
    return body.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))
