"""``LocalCore``: the sans-I/O request handler of the local core.

It routes a ``LocalRequest`` the way the real core does (``/appid-<id>`` and tenant prefixes),
applies the core's checks (body size, API key, ``cdi-version``, app existence; tenant
existence is checked by the endpoints that are tenant-specific) and answers with a
``LocalResponse``: HTTP 200 + JSON ``status`` for logical outcomes, plain text for errors.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional, Union

import attrs
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from authclient.localcore import jwt, session_rows, sessions, tenancy
from authclient.localcore._wire import (
    DEFAULT_MAX_BODY_BYTES,
    JAVA_TRIM,
    Call,
    HttpError,
    LocalRequest,
    LocalResponse,
    bad_request,
    json_response,
    not_found,
    text_response,
    too_large_response,
)
from authclient.localcore.config import (
    MAX_CDI_VERSION,
    SUPPORTED_CDI_VERSIONS,
    AppConfig,
    Version,
    parse_api_keys,
    parse_version,
)
from authclient.localcore.keys import KeyRing
from authclient.localcore.store import PUBLIC, Store
from authclient.localcore.tokens import ProtectedClaimError

logger = logging.getLogger("authclient.localcore")

Endpoint = Callable[[Call], Union[dict[str, Any], LocalResponse]]


def _api_version(call: Call) -> dict[str, Any]:
    call.require_public_tenant()
    return {"versions": list(SUPPORTED_CDI_VERSIONS)}


def _jwks(call: Call) -> LocalResponse:
    jwks, max_age = call.keys.jwks(call.app_id, call.config, call.now_ms)
    return json_response(jwks, {"cache-control": f"max-age={max_age}, must-revalidate"})


def _user_by_id(call: Call) -> dict[str, Any]:
    call.require_public_tenant()
    call.query("userId")
    # The local core has no users: every id is unknown, so the SDK uses the recipe user id.
    return {"status": "UNKNOWN_USER_ID_ERROR"}


def _get_metadata(call: Call) -> dict[str, Any]:
    call.require_public_tenant()
    user_id = call.query("userId")
    with call.store.transaction() as tx:
        return {"status": "OK", "metadata": tx.metadata(call.app_id, user_id)}


def _update_metadata(call: Call) -> dict[str, Any]:
    call.require_public_tenant()
    body = call.body()
    user_id, update = body.string("userId"), body.object("metadataUpdate")
    with call.store.transaction() as tx:
        return {"status": "OK", "metadata": tx.update_metadata(call.app_id, user_id, update)}


def _remove_metadata(call: Call) -> dict[str, Any]:
    call.require_public_tenant()
    user_id = call.body().string("userId")
    with call.store.transaction() as tx:
        tx.delete_metadata(call.app_id, user_id)
    return {"status": "OK"}


@attrs.frozen
class _Route:
    methods: Mapping[str, Endpoint]
    api_key: bool = True
    versioned: bool = True


_ROUTES: dict[str, _Route] = {
    "/apiversion": _Route({"GET": _api_version}, versioned=False),
    "/.well-known/jwks.json": _Route({"GET": _jwks}, api_key=False, versioned=False),
    "/recipe/multitenancy/app/v2": _Route({"PUT": tenancy.put_app}),
    "/recipe/multitenancy/tenant/v2": _Route({"PUT": tenancy.put_tenant}),
    "/user/id": _Route({"GET": _user_by_id}),
    "/recipe/user/metadata": _Route({"GET": _get_metadata, "PUT": _update_metadata}),
    "/recipe/user/metadata/remove": _Route({"POST": _remove_metadata}),
    "/recipe/session": _Route({"POST": sessions.create, "GET": session_rows.information}),
    "/recipe/session/verify": _Route({"POST": sessions.verify}),
    "/recipe/session/refresh": _Route({"POST": sessions.refresh}),
    "/recipe/session/regenerate": _Route({"POST": sessions.regenerate}),
    "/recipe/session/data": _Route({"PUT": session_rows.replace_session_data}),
    "/recipe/jwt": _Route({"POST": jwt.sign}),
    "/recipe/jwt/jwks": _Route({"GET": jwt.jwks}),
    "/recipe/jwt/data": _Route({"PUT": session_rows.replace_jwt_data}),
    "/recipe/session/user": _Route({"GET": session_rows.user_handles}),
    "/recipe/session/remove": _Route({"POST": session_rows.remove}),
}

_SUPPORTED_VERSIONS = frozenset(parse_version(v) for v in SUPPORTED_CDI_VERSIONS)
_MAX_VERSION = parse_version(MAX_CDI_VERSION)

_APP_PREFIX = re.compile(r"/appid-([a-z0-9-]+)(/.*)?")
_TENANT_PREFIX = re.compile(r"/([a-z0-9-]+)(/.*)")


def _route(path: str) -> tuple[str, str, _Route]:
    """(app id, tenant id, route) for a path: ``[/appid-<app>][/<tenant>]<api path>``."""
    path = path.lower()
    if len(path) > 1:
        path = path.rstrip("/")
    app_id = PUBLIC
    app_match = _APP_PREFIX.fullmatch(path)
    if app_match:
        app_id, path = app_match[1], app_match[2] or ""
    if path in _ROUTES:
        return app_id, PUBLIC, _ROUTES[path]
    tenant_match = _TENANT_PREFIX.fullmatch(path)
    if tenant_match and tenant_match[2] in _ROUTES:
        return app_id, tenant_match[1], _ROUTES[tenant_match[2]]
    raise HttpError(404, "Not found")


class LocalCore:
    """A CDI-compatible core for development, demos and tests.

    It answers the user-metadata and session parts of the Core Driver Interface (up to CDI
    5.4, and the legacy token format of CDI < 2.21), JWTs for other services
    (``/recipe/jwt``), ``/apiversion``, ``/user/id``, the JWKS,
    apps made with ``PUT /recipe/multitenancy/app/v2`` (then addressed under ``/appid-<id>``)
    and their tenants, made with ``PUT /recipe/multitenancy/tenant/v2``. It does no I/O of its
    own: serve it in-process with ``LocalCoreTransport``, over ASGI with ``LocalCoreApp``, or
    over HTTP with ``serve`` / ``start_in_thread``.

    ``db`` is a SQLite file (signing keys, sessions and metadata survive a restart) or
    ``":memory:"``. With ``api_key`` set (one key, or several separated by commas, as the real
    core's ``api_keys``), every request but the JWKS must carry one of them (``api-key``, or
    ``Authorization: [Bearer ]<key>``); an app whose coreConfig sets ``api_keys`` takes those
    instead. A request body larger than ``max_body_bytes`` is refused with HTTP 413. ``clock``
    returns the time in seconds since the epoch; tests may pass their own. ``handle`` is
    thread-safe.
    """

    def __init__(
        self,
        db: str = ":memory:",
        *,
        api_key: Optional[str] = None,
        clock: Callable[[], float] = time.time,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        if isinstance(max_body_bytes, bool) or not isinstance(max_body_bytes, int):
            raise TypeError("max_body_bytes must be an int")
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        # Checked before anything is opened; the message never shows the key.
        api_keys = None if api_key is None else parse_api_keys(api_key, min_length=1)
        self._store = Store(db)
        self._keys = KeyRing(self._store)
        with self._store.transaction() as tx:
            self._refresh_secret = tx.secret(
                "refresh_token_key", lambda: AESGCM.generate_key(bit_length=256)
            )
        self._api_keys = api_keys
        self._clock = clock
        self._max_body_bytes = max_body_bytes

    def __enter__(self) -> LocalCore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<LocalCore api_key={'set' if self._api_keys else 'none'}>"

    @property
    def max_body_bytes(self) -> int:
        """The largest request body answered; larger ones get HTTP 413."""
        return self._max_body_bytes

    def close(self) -> None:
        """Close the database. Further requests are answered with HTTP 500."""
        self._store.close()

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one request."""
        started = time.perf_counter()
        try:
            response = self._dispatch(request)
        except HttpError as error:
            response = text_response(error.status, error.message)
        except ProtectedClaimError as error:
            response = text_response(400, str(error))
        except Exception as error:
            logger.exception("local core failed on %s %s", request.method, request.path)
            response = text_response(500, str(error) or type(error).__name__)
        logger.debug(
            "%s %s -> %d (%.1f ms)",
            request.method,
            request.path,
            response.status,
            (time.perf_counter() - started) * 1000,
        )
        return response

    def _dispatch(self, request: LocalRequest) -> LocalResponse:
        if len(request.body) > self._max_body_bytes:
            return too_large_response(self._max_body_bytes)
        app_id, tenant_id, route = _route(request.path)
        with self._store.transaction() as tx:
            core_config = tx.app_config(app_id)
        config = None if core_config is None else AppConfig.from_core_config(core_config)
        if route.api_key:
            # An app that does not exist is guarded by the core's own keys (the real core,
            # having no app to take keys from, would answer 400 without checking).
            app_keys = None if config is None else config.api_keys
            _check_api_key(request.headers, app_keys or self._api_keys)
        cdi = self._cdi_version(request.headers, route.versioned)
        if cdi < (3, 0) and tenant_id != PUBLIC:
            raise HttpError(404, "Not found")
        endpoint = route.methods.get(request.method.upper())
        if endpoint is None:
            raise HttpError(405, "Method not supported")
        if config is None:
            raise not_found(app_id, PUBLIC)
        call = Call(
            request=request,
            store=self._store,
            keys=self._keys,
            refresh_secret=self._refresh_secret,
            app_id=app_id,
            tenant_id=tenant_id,
            config=config,
            cdi=cdi,
            now_ms=int(self._clock() * 1000),
        )
        result = endpoint(call)
        return result if isinstance(result, LocalResponse) else json_response(result)

    @staticmethod
    def _cdi_version(headers: Mapping[str, str], versioned: bool) -> Version:
        """The request's CDI version; a missing header means the latest (as the real core)."""
        text = headers.get("cdi-version")
        if text is None:
            return _MAX_VERSION
        try:
            version = parse_version(text)
        except ValueError:
            raise bad_request(f"cdi-version {text} not supported") from None
        if version > _MAX_VERSION or (versioned and version not in _SUPPORTED_VERSIONS):
            raise bad_request(f"cdi-version {text} not supported")
        return version


_BEARER = "bearer "


def _given_api_key(headers: Mapping[str, str]) -> Optional[str]:
    """The key a request carries, read as the real core does: ``api-key`` wins; otherwise
    ``Authorization: Bearer <key>`` (any case) or a bare ``Authorization: <key>``."""
    given = headers.get("api-key")
    if given is None:
        authorization = headers.get("authorization")
        if authorization is None:
            return None
        given = authorization
        if authorization[: len(_BEARER)].lower() == _BEARER:
            given = authorization[len(_BEARER) :]
    return given.strip(JAVA_TRIM)


def _check_api_key(headers: Mapping[str, str], keys: Optional[Sequence[str]]) -> None:
    """HTTP 401 unless the request carries one of ``keys`` (no keys: anyone may call).

    Compared in constant time, against every key; a header that is not ASCII is just wrong.
    """
    if keys is None:
        return
    given = _given_api_key(headers)
    if given is None:
        raise HttpError(401, "Invalid API key")
    given_bytes = given.encode("utf-8", "surrogatepass")
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(given_bytes, key.encode())
    if not matched:
        raise HttpError(401, "Invalid API key")
