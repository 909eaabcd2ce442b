"""``POST /recipe/jwt`` and ``GET /recipe/jwt/jwks`` of the local core: the parts only it can show.

What both cores answer alike (bad bodies, tenants, the api key) is ``tests/asyncio/
test_jwt_wire.py``, which runs against the real core too; here are apps, old CDI versions, the
token's layout and the clock arithmetic, on a fake clock where it matters.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from authclient.localcore import LocalCore
from tests.localcore._helpers import FakeClock, client, create, create_app, jwt_parts, ok

GOOD = {
    "payload": {"role": "svc"},
    "validity": 100,
    "useStaticSigningKey": True,
    "algorithm": "RS256",
    "jwksDomain": "https://api.example.com",
}


def mint(http: httpx.Client, path: str = "/recipe/jwt", **changes: Any) -> httpx.Response:
    return http.post(path, json={**GOOD, **changes})


def verify_with(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(token)["kid"]]
    claims: dict[str, Any] = jwt.decode(token, key, algorithms=["RS256"])
    return claims


@pytest.fixture
def app(core: LocalCore, http: httpx.Client) -> Iterator[httpx.Client]:
    """A client on a fresh app of the shared core."""
    app_id = f"jwt-{uuid.uuid4()}"
    create_app(http, app_id)
    with client(core, app=app_id) as in_app:
        yield in_app


def test_the_jwt_has_the_real_cores_layout(clocked_http: httpx.Client, clock: FakeClock) -> None:
    """Header kid, typ, alg (no version); claims iat, exp, iss first, then the payload's."""
    token = ok(mint(clocked_http, payload={"role": "svc", "n": [1, None]}))["jwt"]
    header, claims = jwt_parts(token)
    assert list(header) == ["kid", "typ", "alg"]
    assert (header["typ"], header["alg"]) == ("JWT", "RS256")
    now = int(clock.now)
    assert list(claims.items()) == [
        ("iat", now),
        ("exp", now + 100),
        ("iss", "https://api.example.com"),
        ("role", "svc"),
        ("n", [1, None]),
    ]


def test_an_apps_jwt_verifies_with_its_jwks_only(app: httpx.Client, http: httpx.Client) -> None:
    """Each app signs with its own keys: another app's JWKS does not verify the JWT."""
    token = ok(mint(app))["jwt"]
    claims = verify_with(token, app.get("/.well-known/jwks.json").json())
    assert claims["role"] == "svc"
    with pytest.raises(KeyError):
        verify_with(token, http.get("/.well-known/jwks.json").json())


def test_the_dynamic_key_is_the_one_signing_access_tokens(app: httpx.Client, user_id: str) -> None:
    """useStaticSigningKey false: the same d- key that signs a new session's access token."""
    token = ok(mint(app, useStaticSigningKey=False))["jwt"]
    access_token = ok(create(app, user_id))["accessToken"]["token"]
    assert jwt_parts(token)[0]["kid"] == jwt_parts(access_token)[0]["kid"]


def test_before_cdi_2_21_the_static_key_always_signs(core: LocalCore) -> None:
    """Old CDI versions do not read useStaticSigningKey (not even a bad one)."""
    with client(core, cdi="2.20") as old:
        dynamic = ok(mint(old, useStaticSigningKey=False))["jwt"]
        bad = ok(mint(old, useStaticSigningKey="bad"))["jwt"]
    assert jwt_parts(dynamic)[0]["kid"].startswith("s-")
    assert jwt_parts(bad)[0]["kid"].startswith("s-")


def test_a_tenant_prefix_is_fine_before_cdi_5(core: LocalCore) -> None:
    """CDI 3.x and 4.x accept any tenant prefix (even of no tenant); 2.x knows none (404)."""
    with client(core, cdi="4.0") as v4:
        assert ok(mint(v4, "/no-such-tenant/recipe/jwt"))["jwt"]
    with client(core, cdi="2.21") as v2:
        answer = mint(v2, "/no-such-tenant/recipe/jwt")
    assert (answer.status_code, answer.text) == (404, "Not found")


def test_an_unknown_app_is_400(core: LocalCore) -> None:
    """Before the body is looked at, in the real core's words."""
    with client(core, app="no-such-app") as nowhere:
        answer = nowhere.post("/recipe/jwt", content=b"not json")
    assert answer.status_code == 400
    assert answer.text.startswith("AppId or tenantId not found")


def test_only_post_is_served(http: httpx.Client) -> None:
    """GET and PUT of /recipe/jwt: 405, as the real core."""
    assert http.get("/recipe/jwt").status_code == 405
    assert http.put("/recipe/jwt", json=GOOD).status_code == 405


@pytest.mark.parametrize(
    ("validity", "lifetime"),
    [
        (2**63 - 1, -1),  # validity x 1000 wraps round to -1000 ms
        (10**20, 200_378_216_647_465 - 1_796_126_776),
    ],
)
def test_absurd_validities_wrap_as_the_cores_arithmetic(validity: int, lifetime: int) -> None:
    """The expiry is computed on 64-bit milliseconds, as the real core (numbers measured there
    at iat 1796126776)."""
    clock = FakeClock(1_796_126_776.0)
    with LocalCore(clock=clock) as clocked, client(clocked) as http:
        claims = jwt_parts(ok(mint(http, validity=validity))["jwt"])[1]
    assert claims["exp"] - claims["iat"] == lifetime


def test_the_deprecated_jwks_lists_the_same_keys(http: httpx.Client) -> None:
    """GET /recipe/jwt/jwks: the JWKS with a status, no Cache-Control."""
    answer = http.get("/recipe/jwt/jwks")
    assert "cache-control" not in answer.headers
    assert ok(answer)["keys"] == http.get("/.well-known/jwks.json").json()["keys"]


def test_the_deprecated_jwks_is_app_wide_and_behind_the_api_key(core: LocalCore) -> None:
    """A tenant prefix: 403 (CDI 5); an app that wants an api key: 401 without it."""
    with client(core) as http:
        tenant = http.get("/t1/recipe/jwt/jwks")
        app_id = f"keyed-{uuid.uuid4()}"
        create_app(http, app_id, api_keys="a-key-of-at-least-twenty-chars")
    with client(core, app=app_id) as keyless:
        refused = keyless.get("/recipe/jwt/jwks")
    assert (tenant.status_code, tenant.text) == (
        403,
        "Only public tenantId can call this app specific API",
    )
    assert (refused.status_code, refused.text) == (401, "Invalid API key")
