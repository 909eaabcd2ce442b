"""Plain requests and responses of the local core, input parsing with the core's error texts,
and ``Call``: one request together with everything an endpoint needs to answer it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Optional, cast

import attrs

from authclient.localcore import _json
from authclient.localcore.config import AppConfig, Version
from authclient.localcore.keys import KeyRing
from authclient.localcore.store import PUBLIC, Store

JSON_CONTENT_TYPE = "application/json; charset=UTF-8"
TEXT_CONTENT_TYPE = "text/plain; charset=UTF-8"


@attrs.frozen
class LocalRequest:
    """A request to the local core.

    ``path`` is the URL path (with any ``/appid-<id>`` and tenant prefix), ``query`` holds one
    value per parameter, and ``headers`` has lower-case names.
    """

    method: str
    path: str
    query: Mapping[str, str] = attrs.field(factory=dict[str, str])
    headers: Mapping[str, str] = attrs.field(factory=dict[str, str])
    body: bytes = b""


@attrs.frozen
class LocalResponse:
    """The local core's answer: an HTTP status, headers and the body bytes."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return json.loads(self.body)


def json_response(
    data: Mapping[str, Any], headers: Optional[Mapping[str, str]] = None
) -> LocalResponse:
    """A logical outcome: always HTTP 200, the outcome is in the JSON ``status``."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return LocalResponse(200, {"content-type": JSON_CONTENT_TYPE, **(headers or {})}, body)


def text_response(status: int, message: str) -> LocalResponse:
    return LocalResponse(status, {"content-type": TEXT_CONTENT_TYPE}, message.encode())


DEFAULT_MAX_BODY_BYTES = 1024 * 1024


def too_large_response(limit: int) -> LocalResponse:
    """A request body over the limit (the real core has none; see the package docstring)."""
    return text_response(413, f"Request body too large: the limit is {limit} bytes")


class HttpError(Exception):
    """Answered with a plain-text body and an error status, as the core does."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> HttpError:
    return HttpError(400, message)


JAVA_TRIM = "".join(map(chr, range(33)))
"""What Java's ``String.trim()`` removes (the real core trims ids and keys with it)."""


def not_found(app_id: str, tenant_id: str) -> HttpError:
    """An app or tenant that does not exist, in the real core's words."""
    return bad_request(
        "AppId or tenantId not found => Tenant with the following connectionURIDomain, appId"
        f" and tenantId combination not found: (, {app_id}, {tenant_id})"
    )


def _invalid(name: str) -> HttpError:
    return bad_request(f"Field name '{name}' is invalid in JSON input")


class JsonBody:
    """A request's JSON object. Like the core, a field that is required, or present, must have
    the right type: an explicit JSON ``null`` is as invalid as a wrong type."""

    def __init__(self, raw: bytes) -> None:
        try:
            parsed = _json.loads(raw)
        except _json.InvalidJson:
            raise bad_request("Invalid Json Input") from None
        if not isinstance(parsed, dict):
            raise bad_request("Invalid Json Input")
        self._fields = cast("dict[str, Any]", parsed)

    def _get(self, name: str, kind: type[Any], optional: bool) -> Any:
        if optional and name not in self._fields:
            return None
        value = self._fields.get(name)
        if not isinstance(value, kind):
            raise _invalid(name)
        return value

    def string(self, name: str) -> str:
        return cast(str, self._get(name, str, False))

    def optional_string(self, name: str) -> Optional[str]:
        return cast("Optional[str]", self._get(name, str, True))

    def boolean(self, name: str) -> bool:
        return cast(bool, self._get(name, bool, False))

    def optional_boolean(self, name: str) -> Optional[bool]:
        return cast("Optional[bool]", self._get(name, bool, True))

    def object(self, name: str) -> dict[str, Any]:
        return cast("dict[str, Any]", self._get(name, dict, False))

    def optional_object(self, name: str) -> Optional[dict[str, Any]]:
        return cast("Optional[dict[str, Any]]", self._get(name, dict, True))

    def has(self, name: str) -> bool:
        return name in self._fields

    def value(self, name: str, default: Any = None) -> Any:
        """A field as it is, of whatever type (``default`` when absent)."""
        return self._fields.get(name, default)

    def nullable_strings(self, name: str) -> Optional[list[str]]:
        """An array of strings; ``None`` if absent or JSON ``null``."""
        return None if self._fields.get(name) is None else self.optional_strings(name)

    def optional_strings(self, name: str) -> Optional[list[str]]:
        items = cast("Optional[list[Any]]", self._get(name, list, True))
        if items is not None and not all(isinstance(item, str) for item in items):
            raise _invalid(name)
        return items


@attrs.frozen
class Call:
    """One request, resolved: which app and tenant it addresses, at which CDI version and time."""

    request: LocalRequest
    store: Store
    keys: KeyRing
    refresh_secret: bytes
    app_id: str
    tenant_id: str
    config: AppConfig
    cdi: Version
    now_ms: int

    def body(self) -> JsonBody:
        return JsonBody(self.request.body)

    def query(self, name: str) -> str:
        value = self.request.query.get(name)
        if value is None:
            raise bad_request(f"Field name '{name}' is missing in GET request")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # only a direct handle() call can pass a lone surrogate
            raise bad_request(f"Field name '{name}' is invalid in GET request") from None
        return value

    def query_flag(self, name: str, default: bool) -> bool:
        """A boolean query parameter, compared as the core does (``"true"``, any case)."""
        value = self.request.query.get(name)
        return default if value is None else value.lower() == "true"

    def require_public_tenant(self) -> None:
        """App-wide APIs refuse a non-public tenant prefix from CDI 5.0 on."""
        if self.cdi >= (5, 0) and self.tenant_id != PUBLIC:
            raise HttpError(403, "Only public tenantId can call this app specific API")

    def require_tenant(self) -> None:
        """Tenant-specific APIs answer HTTP 400 for a tenant that does not exist."""
        if self.tenant_id == PUBLIC:
            return
        with self.store.transaction() as tx:
            exists = tx.tenant_config(self.app_id, self.tenant_id) is not None
        if not exists:
            raise not_found(self.app_id, self.tenant_id)
