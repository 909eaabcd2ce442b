"""Create, verify, refresh and regenerate behave as the real core's (CDI.md §1.3, §6.4-6.8, 6.12)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from authclient.localcore import LocalCore
from authclient.localcore.tokens import sha256hex
from tests.localcore._helpers import (
    V5_CORE_CLAIMS,
    FakeClock,
    client,
    create,
    create_app,
    create_tenant,
    jwt_parts,
    ok,
    refresh,
    verify,
)

PROTECTED = V5_CORE_CLAIMS


@pytest.fixture(scope="module")
def short_http(clocked_core: LocalCore, clocked_http: httpx.Client) -> Iterator[httpx.Client]:
    """An app on the fake clock: access tokens live 10 s, sessions 1 minute."""
    app = f"short-{uuid.uuid4()}"
    create_app(clocked_http, app, access_token_validity=10, refresh_token_validity=1)
    with client(clocked_core, app=app) as http:
        yield http


def test_create_answers_like_the_core(http: httpx.Client, user_id: str) -> None:
    body = ok(create(http, user_id, payload={"k": "v"}))
    assert set(body) == {"status", "session", "accessToken", "refreshToken"}  # no antiCsrfToken
    session = body["session"]
    assert session == {
        "handle": session["handle"],
        "userId": user_id,
        "recipeUserId": user_id,
        "userDataInJWT": {"k": "v"},
        "tenantId": "public",
    }
    assert str(uuid.UUID(session["handle"])) == session["handle"]
    access = body["accessToken"]
    assert access["expiry"] % 1000 == 0
    assert access["createdTime"] % 1000 == 0
    assert access["expiry"] - access["createdTime"] == 3600 * 1000
    assert body["refreshToken"]["token"].endswith(".V2")
    assert body["refreshToken"]["expiry"] - body["refreshToken"]["createdTime"] == 144000 * 60_000
    _, claims = jwt_parts(access["token"])
    assert claims["antiCsrfToken"] is None
    assert claims["refreshTokenHash1"] == sha256hex(body["refreshToken"]["token"])


def test_anti_csrf_token_only_when_enabled(http: httpx.Client, user_id: str) -> None:
    body = ok(create(http, user_id, anti_csrf=True))
    assert str(uuid.UUID(body["antiCsrfToken"])) == body["antiCsrfToken"]
    assert jwt_parts(body["accessToken"]["token"])[1]["antiCsrfToken"] == body["antiCsrfToken"]


def test_non_public_tenants_suffix_the_handle(http: httpx.Client, user_id: str) -> None:
    create_tenant(http, "tenant-1")
    body = ok(create(http, user_id, tenant="tenant-1"))
    assert body["session"]["handle"].endswith("_tenant-1")
    assert body["session"]["tenantId"] == "tenant-1"
    assert jwt_parts(body["accessToken"]["token"])[1]["tId"] == "tenant-1"
    public = ok(create(http, user_id, tenant="public"))["session"]["handle"]
    assert "_" not in public


def test_create_without_a_tenant_prefix_is_the_public_tenant(
    http: httpx.Client, user_id: str
) -> None:
    body: dict[str, object] = {
        "userId": user_id,
        "userDataInJWT": {},
        "userDataInDatabase": {},
        "enableAntiCsrf": False,
    }
    assert ok(http.post("/recipe/session", json=body))["session"]["tenantId"] == "public"


@pytest.mark.parametrize("claim", PROTECTED)
def test_protected_claims_are_refused_with_400(
    http: httpx.Client, user_id: str, claim: str
) -> None:
    response = create(http, user_id, payload={claim: "x"})
    assert (response.status_code, response.text) == (
        400,
        "The user payload contains protected field",
    )
    created = ok(create(http, user_id))
    handle = created["session"]["handle"]
    response = http.put(
        "/recipe/jwt/data", json={"sessionHandle": handle, "userDataInJWT": {claim: 1}}
    )
    assert (response.status_code, response.text) == (
        400,
        "The user payload contains protected field",
    )
    token = created["accessToken"]["token"]
    response = http.post(
        "/recipe/session/regenerate", json={"accessToken": token, "userDataInJWT": {claim: 1}}
    )
    assert (response.status_code, response.text) == (
        400,
        "The user payload contains protected field",
    )


def test_iss_and_other_claims_are_allowed(http: httpx.Client, user_id: str) -> None:
    body = ok(create(http, user_id, payload={"iss": "http://api", "nested": {"sub": 1}}))
    claims = jwt_parts(body["accessToken"]["token"])[1]
    assert (claims["iss"], claims["nested"]) == ("http://api", {"sub": 1})


def test_verify_of_a_fresh_token_returns_no_new_token(http: httpx.Client, user_id: str) -> None:
    created = ok(create(http, user_id, payload={"a": 1}))
    for check_database in (False, True):
        answer = verify(http, created["accessToken"]["token"], check_database=check_database)
        assert answer == {"status": "OK", "session": created["session"]}


def test_verify_checks_the_database_only_when_asked(http: httpx.Client, user_id: str) -> None:
    created = ok(create(http, user_id))
    token = created["accessToken"]["token"]
    ok(http.post("/recipe/session/remove", json={"sessionHandles": [created["session"]["handle"]]}))
    assert verify(http, token)["status"] == "OK"
    assert verify(http, token, check_database=True) == {
        "status": "UNAUTHORISED",
        "message": "Either the session has ended or has been blacklisted",
    }


def test_verify_with_database_check_picks_up_a_changed_payload(
    http: httpx.Client, user_id: str
) -> None:
    created = ok(create(http, user_id, payload={"role": "user"}))
    handle, token = created["session"]["handle"], created["accessToken"]["token"]
    ok(
        http.put(
            "/recipe/jwt/data", json={"sessionHandle": handle, "userDataInJWT": {"role": "admin"}}
        )
    )
    assert "accessToken" not in verify(http, token)
    answer = verify(http, token, check_database=True)
    assert answer["session"]["userDataInJWT"] == {"role": "admin"}
    new_claims = jwt_parts(answer["accessToken"]["token"])[1]
    assert new_claims["role"] == "admin"
    assert new_claims["refreshTokenHash1"] == jwt_parts(token)[1]["refreshTokenHash1"]


def test_first_verify_after_refresh_promotes_and_replaces_the_token(
    http: httpx.Client, user_id: str
) -> None:
    created = ok(create(http, user_id, payload={"p": 1}))
    rt = created["refreshToken"]["token"]
    refreshed = ok(refresh(http, rt))
    assert refreshed["session"] == created["session"]
    new_at = refreshed["accessToken"]["token"]
    new_rt = refreshed["refreshToken"]["token"]
    claims = jwt_parts(new_at)[1]
    assert claims["parentRefreshTokenHash1"] == sha256hex(rt)
    assert claims["refreshTokenHash1"] == sha256hex(new_rt)

    answer = verify(http, new_at)
    replacement = jwt_parts(answer["accessToken"]["token"])[1]
    assert replacement["parentRefreshTokenHash1"] is None
    assert replacement["refreshTokenHash1"] == sha256hex(new_rt)
    assert replacement["p"] == 1
    # The replacement needs no further promotion; the new token still gets one (it has a parent).
    assert "accessToken" not in verify(http, answer["accessToken"]["token"])
    assert "accessToken" in verify(http, new_at)
    # Promoted: the old refresh token is now a theft.
    assert refresh(http, rt)["status"] == "TOKEN_THEFT_DETECTED"


def test_refresh_leaves_the_row_alone_and_a_chain_promotes_on_the_next_refresh(
    http: httpx.Client, user_id: str
) -> None:
    created = ok(create(http, user_id))
    rt = created["refreshToken"]["token"]
    first = ok(refresh(http, rt))
    # Nothing was promoted, so the original refresh token still refreshes.
    second = ok(refresh(http, rt))
    assert second["refreshToken"]["token"] != first["refreshToken"]["token"]
    # RT' refreshes without a verify in between: its parent is current, so it is promoted.
    third = ok(refresh(http, first["refreshToken"]["token"]))
    assert ok(refresh(http, third["refreshToken"]["token"]))
    # RT (the grandparent) and RT'' (the sibling) are now stale.
    theft = refresh(http, rt)
    assert theft == {
        "status": "TOKEN_THEFT_DETECTED",
        "session": {
            "handle": created["session"]["handle"],
            "userId": user_id,
            "recipeUserId": user_id,
        },
    }
    assert refresh(http, second["refreshToken"]["token"])["status"] == "TOKEN_THEFT_DETECTED"
    # Theft does not revoke the session at CDI 5.4.
    assert ok(http.get("/recipe/session", params={"sessionHandle": created["session"]["handle"]}))


def test_refresh_of_a_bad_token_is_unauthorised(http: httpx.Client, user_id: str) -> None:
    rt = ok(create(http, user_id))["refreshToken"]["token"]
    ciphertext, nonce, suffix = rt.split(".")
    tampered = (
        f"{ciphertext[:-2]}{'A' if ciphertext[-2] != 'A' else 'B'}{ciphertext[-1]}.{nonce}.{suffix}"
    )
    for token in (tampered, "garbage", rt.replace(".V2", ".V1")):
        assert refresh(http, token) == {
            "status": "UNAUTHORISED",
            "message": "Invalid refresh token",
        }


def test_refresh_of_a_revoked_session_is_unauthorised(http: httpx.Client, user_id: str) -> None:
    created = ok(create(http, user_id))
    ok(http.post("/recipe/session/remove", json={"sessionHandles": [created["session"]["handle"]]}))
    assert refresh(http, created["refreshToken"]["token"]) == {
        "status": "UNAUTHORISED",
        "message": "Session missing in db or has expired",
    }


def test_anti_csrf_checks(http: httpx.Client, user_id: str) -> None:
    created = ok(create(http, user_id, anti_csrf=True))
    token, csrf = created["accessToken"]["token"], created["antiCsrfToken"]
    assert verify(http, token, anti_csrf=True, anti_csrf_token="wrong") == {
        "status": "TRY_REFRESH_TOKEN",
        "message": "anti-csrf check failed",
    }
    assert verify(http, token, anti_csrf=True, anti_csrf_token=csrf)["status"] == "OK"
    rt = created["refreshToken"]["token"]
    assert refresh(http, rt, anti_csrf=True, anti_csrf_token="wrong") == {
        "status": "UNAUTHORISED",
        "message": "Anti CSRF token missing, or not matching",
    }
    refreshed = ok(refresh(http, rt, anti_csrf=True, anti_csrf_token=csrf))
    assert refreshed["antiCsrfToken"] not in (None, csrf)
    assert "antiCsrfToken" not in ok(refresh(http, rt, anti_csrf=False))


def test_verify_of_bad_tokens_says_try_refresh(http: httpx.Client, user_id: str) -> None:
    token = ok(create(http, user_id))["accessToken"]["token"]
    header, payload, signature = token.split(".")
    for bad in (
        "not-a-jwt",
        f"{header}.{payload}.{signature[:-4]}AAAA",
        f"{header}.{payload[:-4]}AAAA.{signature}",
        f"{header.replace(header[:5], 'eyJhb')}x.{payload}.{signature}",
    ):
        assert verify(http, bad)["status"] == "TRY_REFRESH_TOKEN"


def test_regenerate_keeps_the_expiry_and_changes_the_payload(
    http: httpx.Client, user_id: str
) -> None:
    created = ok(create(http, user_id, payload={"a": 1}, anti_csrf=True))
    token = created["accessToken"]["token"]
    answer = ok(
        http.post(
            "/recipe/session/regenerate", json={"accessToken": token, "userDataInJWT": {"b": 2}}
        )
    )
    assert answer["session"]["userDataInJWT"] == {"b": 2}
    before, after = jwt_parts(token)[1], jwt_parts(answer["accessToken"]["token"])[1]
    assert after["exp"] == before["exp"]
    assert answer["accessToken"]["expiry"] == created["accessToken"]["expiry"]
    for claim in ("refreshTokenHash1", "parentRefreshTokenHash1", "antiCsrfToken", "sessionHandle"):
        assert after[claim] == before[claim]
    assert (after.get("a"), after["b"]) == (None, 2)
    info = ok(http.get("/recipe/session", params={"sessionHandle": created["session"]["handle"]}))
    assert info["userDataInJWT"] == {"b": 2}
    # Without a payload, the stored one is used.
    kept = ok(http.post("/recipe/session/regenerate", json={"accessToken": token}))
    assert kept["session"]["userDataInJWT"] == {"b": 2}


def test_regenerate_of_an_ended_session_is_unauthorised(http: httpx.Client, user_id: str) -> None:
    created = ok(create(http, user_id))
    ok(http.post("/recipe/session/remove", json={"sessionHandles": [created["session"]["handle"]]}))
    response = http.post(
        "/recipe/session/regenerate", json={"accessToken": created["accessToken"]["token"]}
    )
    assert response.json() == {"status": "UNAUTHORISED", "message": "Session does not exist."}


def test_expired_access_tokens(short_http: httpx.Client, clock: FakeClock, user_id: str) -> None:
    created = ok(create(short_http, user_id, payload={"a": 1}))
    token = created["accessToken"]["token"]
    clock.advance(11)
    assert verify(short_http, token) == {
        "status": "TRY_REFRESH_TOKEN",
        "message": "Access token expired",
    }
    # Regenerating an expired token updates the database only.
    answer = ok(
        short_http.post(
            "/recipe/session/regenerate", json={"accessToken": token, "userDataInJWT": {"b": 1}}
        )
    )
    assert "accessToken" not in answer
    assert answer["session"]["userDataInJWT"] == {"b": 1}
    refreshed = ok(refresh(short_http, created["refreshToken"]["token"]))
    assert jwt_parts(refreshed["accessToken"]["token"])[1]["b"] == 1


def test_a_session_past_its_expiry_cannot_refresh(
    short_http: httpx.Client, clock: FakeClock, user_id: str
) -> None:
    created = ok(create(short_http, user_id))
    clock.advance(61)
    assert refresh(short_http, created["refreshToken"]["token"]) == {
        "status": "UNAUTHORISED",
        "message": "Session missing in db or has expired",
    }


def test_static_keys_and_switching_to_dynamic(http: httpx.Client, user_id: str) -> None:
    created = ok(create(http, user_id, dynamic=False))
    header = jwt_parts(created["accessToken"]["token"])[0]
    assert header["kid"].startswith("s-")
    kids = [key["kid"] for key in http.get("/.well-known/jwks.json").json()["keys"]]
    assert header["kid"] in kids
    static_refresh = ok(refresh(http, created["refreshToken"]["token"], dynamic=False))
    assert jwt_parts(static_refresh["accessToken"]["token"])[0]["kid"].startswith("s-")
    dynamic_refresh = ok(refresh(http, created["refreshToken"]["token"], dynamic=True))
    assert jwt_parts(dynamic_refresh["accessToken"]["token"])[0]["kid"].startswith("d-")
    # The session now uses dynamic keys: the replacement token on first verify has a d- kid.
    answer = verify(http, dynamic_refresh["accessToken"]["token"])
    assert jwt_parts(answer["accessToken"]["token"])[0]["kid"].startswith("d-")
