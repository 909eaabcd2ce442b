"""Token formats (CDI.md §3.1, §6.6-6.8): v5 verifiable with PyJWT, older versions per CDI."""

from __future__ import annotations

import base64
import json

import httpx
import jwt
import pytest

from authclient._protocol.token_format import V2_HEADER
from authclient.localcore import LocalCore
from authclient.localcore.tokens import sha256hex
from tests.localcore._helpers import (
    V5_CORE_CLAIMS,
    client,
    create,
    create_tenant,
    jwt_parts,
    ok,
    refresh,
    verify,
)

V5_CLAIMS = V5_CORE_CLAIMS


def _decode(http: httpx.Client, token: str) -> dict[str, object]:
    jwks = jwt.PyJWKSet.from_dict(http.get("/.well-known/jwks.json").json())
    key = jwks[jwt.get_unverified_header(token)["kid"]]
    # As the SDK does it: signature and exp verified, no audience.
    claims: dict[str, object] = jwt.decode(
        token, key.key, algorithms=["RS256"], options={"verify_signature": True, "verify_exp": True}
    )
    return claims


def test_v5_tokens_verify_with_pyjwt_against_the_jwks(http: httpx.Client, user_id: str) -> None:
    create_tenant(http, "t5")
    created = ok(
        create(http, user_id, tenant="t5", payload={"iss": "http://api/auth", "role": "x"})
    )
    token = created["accessToken"]["token"]
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": header["kid"], "version": "5"}
    assert header["kid"].startswith("d-")
    claims = _decode(http, token)
    assert list(claims)[: len(V5_CLAIMS)] == ["sub", "exp", "iat", "tId", "rsub", *V5_CLAIMS[3:7]]
    assert {name: claims[name] for name in V5_CLAIMS} == {
        "sub": user_id,
        "exp": created["accessToken"]["expiry"] // 1000,
        "iat": created["accessToken"]["createdTime"] // 1000,
        "sessionHandle": created["session"]["handle"],
        "refreshTokenHash1": sha256hex(created["refreshToken"]["token"]),
        "parentRefreshTokenHash1": None,
        "antiCsrfToken": None,
        "tId": "t5",
        "rsub": user_id,
    }
    assert (claims["iss"], claims["role"]) == ("http://api/auth", "x")
    # Tokens from refresh and from the promoting verify verify too.
    refreshed = ok(refresh(http, created["refreshToken"]["token"]))
    assert _decode(http, refreshed["accessToken"]["token"])["parentRefreshTokenHash1"] == sha256hex(
        created["refreshToken"]["token"]
    )
    replacement = verify(http, refreshed["accessToken"]["token"])["accessToken"]["token"]
    assert _decode(http, replacement)["parentRefreshTokenHash1"] is None


def test_jwks_lists_rsa_signature_keys(http: httpx.Client) -> None:
    response = http.get("/.well-known/jwks.json")
    keys = response.json()["keys"]
    assert keys
    for key in keys:
        assert set(key) == {"kty", "kid", "n", "e", "alg", "use"}
        assert (key["kty"], key["alg"], key["use"], key["e"]) == ("RSA", "RS256", "sig", "AQAB")
    assert response.headers["cache-control"].endswith(", must-revalidate")


@pytest.mark.parametrize(
    ("cdi", "version", "claims"),
    [
        ("2.21", "3", {"sub", "exp", "iat"}),
        ("3.0", "4", {"sub", "exp", "iat", "tId"}),
        ("4.0", "5", {"sub", "exp", "iat", "tId", "rsub"}),
    ],
)
def test_token_version_follows_the_cdi_version(
    core: LocalCore, user_id: str, cdi: str, version: str, claims: set[str]
) -> None:
    with client(core, cdi=cdi) as http:
        created = ok(create(http, user_id))
        header, payload = jwt_parts(created["accessToken"]["token"])
        assert header["version"] == version
        assert set(payload) == claims | {
            "sessionHandle",
            "refreshTokenHash1",
            "parentRefreshTokenHash1",
            "antiCsrfToken",
        }
        assert ("tenantId" in created["session"]) == (cdi >= "3.0")
        assert ("recipeUserId" in created["session"]) == (cdi >= "4.0")
        assert "idRefreshToken" not in created
        assert verify(http, created["accessToken"]["token"])["status"] == "OK"


def test_legacy_cdi_mints_v2_tokens(core: LocalCore, user_id: str) -> None:
    with client(core, cdi="2.8") as http:
        body = {"userId": user_id, "userDataInJWT": {"userId": "x"}, "userDataInDatabase": {}}
        created = ok(http.post("/recipe/session", json={**body, "enableAntiCsrf": False}))
        token = created["accessToken"]["token"]
        header, payload, signature = token.split(".")
        assert header == V2_HEADER
        assert base64.b64decode(header) == b'{"alg":"RS256","typ":"JWT","version":"2"}'
        base64.b64decode(signature, validate=True)  # standard, not URL-safe, base64
        claims = json.loads(base64.b64decode(payload))
        assert claims == {
            "userId": user_id,
            "expiryTime": created["accessToken"]["expiry"],
            "timeCreated": created["accessToken"]["createdTime"],
            "sessionHandle": created["session"]["handle"],
            "refreshTokenHash1": sha256hex(created["refreshToken"]["token"]),
            "userData": {"userId": "x"},
        }
        assert set(created) >= {
            "idRefreshToken",
            "jwtSigningPublicKey",
            "jwtSigningPublicKeyExpiryTime",
        }
        assert created["session"] == {
            "handle": claims["sessionHandle"],
            "userId": user_id,
            "userDataInJWT": {"userId": "x"},
        }

        answer = verify(http, token)
        assert answer["status"] == "OK"
        assert "jwtSigningPublicKey" in answer
        refreshed = ok(refresh(http, created["refreshToken"]["token"]))
        v2_claims = json.loads(base64.b64decode(refreshed["accessToken"]["token"].split(".")[1]))
        assert v2_claims["parentRefreshTokenHash1"] == sha256hex(created["refreshToken"]["token"])
        assert "accessToken" in verify(http, refreshed["accessToken"]["token"])

    with client(core, cdi="2.9") as http:
        assert "jwtSigningPublicKeyList" in ok(create(http, user_id))


def test_a_v2_token_with_a_forged_signature_is_refused(core: LocalCore, user_id: str) -> None:
    with client(core, cdi="2.8") as http:
        token = ok(create(http, user_id))["accessToken"]["token"]
        header, payload, _ = token.split(".")
        forged = f"{header}.{payload}.{base64.b64encode(b'x' * 256).decode()}"
        assert verify(http, forged)["status"] == "TRY_REFRESH_TOKEN"
