"""Requests to and responses from the core, as plain data, plus the retry policy."""

from __future__ import annotations

import email.utils
import json
import random
import time
from collections.abc import Mapping
from typing import Any, NoReturn, Optional, cast
from urllib.parse import urlencode

import attrs

from authclient.errors import CoreResponseError
from authclient.types import RequestInfo

JSON_CONTENT_TYPE = "application/json; charset=utf-8"

BACKOFF_BASE_SECONDS = 0.1
BACKOFF_CAP_SECONDS = 5.0
MAX_RETRY_AFTER_SECONDS = 30.0
"""A Retry-After longer than this is not waited for: the error goes to the caller instead."""


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
    """

    method: str
    path: str
    query: Optional[Mapping[str, str]] = None
    body: Optional[bytes] = None
    recipe_id: Optional[str] = None
    idempotent: bool = True
    versioned: bool = True

    @classmethod
    def with_json(
        cls, method: str, path: str, body: Any, *, recipe_id: str, idempotent: bool
    ) -> CoreRequest:
        return cls(method, path, None, encode_json(body), recipe_id, idempotent)

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
            body=json.dumps(self.data)[:2000],
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
    secrets: tuple[str, ...],
    headers: Optional[Mapping[str, str]] = None,
) -> CoreResponse:
    """Turn a raw answer into a ``CoreResponse``, or raise ``CoreResponseError``."""

    def fail(message: str) -> NoReturn:
        body = content.decode("utf-8", "replace")
        for secret in secrets:
            body = body.replace(secret, "***")
        raise CoreResponseError(
            message,
            status_code=status_code,
            body=body[:2000],
            method=request.method,
            path=request.path,
            host=host,
        )

    if not 200 <= status_code < 300:
        fail("the core returned an error")
    try:
        data = json.loads(content)
    except ValueError:
        fail("the response is not JSON")
    if not isinstance(data, dict):
        fail("the response is not a JSON object")
    return CoreResponse(request, host, status_code, cast("dict[str, Any]", data), headers or {})


def should_retry_status(status_code: int, request: CoreRequest) -> bool:
    return status_code == 429 or (status_code >= 500 and request.idempotent)


def backoff_delay(attempt: int, retry_after: Optional[str] = None) -> Optional[float]:
    """Seconds to wait before retry number ``attempt`` (1-based); ``None`` means do not retry.

    Retry-After (seconds or an HTTP date) wins when present; otherwise exponential backoff with
    full jitter, so that many clients retrying at once spread out.
    """
    if retry_after is not None:
        delay = parse_retry_after(retry_after)
        if delay is not None:
            return delay if delay <= MAX_RETRY_AFTER_SECONDS else None
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


def parse_retry_after(value: str) -> Optional[float]:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
