"""Helpers for the local-core tests: a fake clock, clients, and the session calls of the SDK."""

from __future__ import annotations

import base64
import json
from typing import Any, Optional, Union

import httpx

from authclient.localcore import LocalCore, LocalCoreTransport

BASE_URL = "http://localcore"

# The claims a v5 access token must carry (CDI.md §3.1), written from the spec, not imported
# from the code under test.
V5_CORE_CLAIMS = [
    "sub",
    "exp",
    "iat",
    "sessionHandle",
    "refreshTokenHash1",
    "parentRefreshTokenHash1",
    "antiCsrfToken",
    "tId",
    "rsub",
]


class FakeClock:
    """A clock for ``LocalCore(clock=...)`` that moves only when told to."""

    def __init__(self, now: float = 1_750_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def client(
    core: LocalCore, *, app: str = "", cdi: Optional[str] = "5.4", api_key: Optional[str] = None
) -> httpx.Client:
    """An httpx client talking to ``core`` in-process, under ``/appid-<app>`` if given."""
    headers = {} if cdi is None else {"cdi-version": cdi}
    if api_key is not None:
        headers["api-key"] = api_key
    base = f"{BASE_URL}/appid-{app}" if app else BASE_URL
    return httpx.Client(transport=LocalCoreTransport(core), base_url=base, headers=headers)


def ok(response: Union[httpx.Response, dict[str, Any]]) -> dict[str, Any]:
    """The JSON of an answer (HTTP 200) whose status is OK."""
    if isinstance(response, httpx.Response):
        assert response.status_code == 200, response.text
        response = dict(response.json())
    body = response
    assert body["status"] == "OK", body
    return body


def create_app(http: httpx.Client, app_id: str, **core_config: Any) -> dict[str, Any]:
    return ok(
        http.put("/recipe/multitenancy/app/v2", json={"appId": app_id, "coreConfig": core_config})
    )


def create_tenant(http: httpx.Client, tenant_id: str, **core_config: Any) -> dict[str, Any]:
    """``PUT /recipe/multitenancy/tenant/v2`` (in the client's app); a tenant must exist before
    sessions are made in it."""
    body: dict[str, Any] = {"tenantId": tenant_id}
    if core_config:
        body["coreConfig"] = core_config
    return ok(http.put("/recipe/multitenancy/tenant/v2", json=body))


def create(
    http: httpx.Client,
    user_id: str,
    *,
    tenant: str = "public",
    payload: Optional[dict[str, Any]] = None,
    data: Optional[dict[str, Any]] = None,
    anti_csrf: bool = False,
    dynamic: bool = True,
) -> httpx.Response:
    """``POST /<tenant>/recipe/session`` as the SDK sends it."""
    body = {
        "userId": user_id,
        "userDataInJWT": payload or {},
        "userDataInDatabase": data or {},
        "useDynamicSigningKey": dynamic,
        "enableAntiCsrf": anti_csrf,
    }
    return http.post(f"/{tenant}/recipe/session", json=body)


def verify(
    http: httpx.Client,
    access_token: str,
    *,
    check_database: bool = False,
    anti_csrf_token: Optional[str] = None,
    anti_csrf: bool = False,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "accessToken": access_token,
        "doAntiCsrfCheck": anti_csrf,
        "enableAntiCsrf": anti_csrf,
        "checkDatabase": check_database,
    }
    if anti_csrf_token is not None:
        body["antiCsrfToken"] = anti_csrf_token
    response = http.post("/recipe/session/verify", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def refresh(
    http: httpx.Client,
    refresh_token: str,
    *,
    anti_csrf_token: Optional[str] = None,
    anti_csrf: bool = False,
    dynamic: bool = True,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "refreshToken": refresh_token,
        "enableAntiCsrf": anti_csrf,
        "useDynamicSigningKey": dynamic,
    }
    if anti_csrf_token is not None:
        body["antiCsrfToken"] = anti_csrf_token
    response = http.post("/recipe/session/refresh", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def jwt_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, payload) of a v3+ token, unverified."""
    header, payload, _ = token.split(".")
    return _b64url_json(header), _b64url_json(payload)


def _b64url_json(part: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded
