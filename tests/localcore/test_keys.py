"""Dynamic key rotation and the JWKS cache header (CDI.md §1.3 "JWKS / keys", §6.10)."""

from __future__ import annotations

import uuid

import httpx

from authclient.localcore import LocalCore
from tests.localcore._helpers import FakeClock, client, create, create_app, jwt_parts, ok, verify

INTERVAL_S = 1800  # access_token_dynamic_signing_key_update_interval = 0.5 h
VALIDITY_S = 600
LIFETIME_S = INTERVAL_S + 2 * VALIDITY_S


def _jwks(http: httpx.Client) -> tuple[list[str], int]:
    """The dynamic keys' ids (newest first) and the max-age of the JWKS."""
    response = http.get("/.well-known/jwks.json")
    assert response.status_code == 200
    cache_control = response.headers["cache-control"]
    assert cache_control.startswith("max-age=") and cache_control.endswith(", must-revalidate")
    max_age = int(cache_control[len("max-age=") :].split(",")[0])
    kids = [key["kid"] for key in response.json()["keys"]]
    assert [kid for kid in kids if kid.startswith("s-")] == kids[-1:]  # one static key, last
    return kids[:-1], max_age


def _signing_kid(http: httpx.Client, user_id: str = "rotating") -> str:
    return str(jwt_parts(ok(create(http, user_id))["accessToken"]["token"])[0]["kid"])


def test_keys_rotate_with_overlap_and_retire_after_their_lifetime() -> None:
    clock = FakeClock()
    with LocalCore(clock=clock) as core, client(core) as admin:
        create_app(
            admin,
            "rotating",
            access_token_dynamic_signing_key_update_interval=INTERVAL_S / 3600,
            access_token_validity=VALIDITY_S,
        )
        with client(core, app="rotating") as http:
            start = clock.now
            first = f"d-{int(start * 1000)}"
            assert _jwks(http) == ([first], INTERVAL_S - 60)
            old_token = ok(create(http, "u"))["accessToken"]["token"]

            clock.now = start + 100
            assert _jwks(http) == ([first], INTERVAL_S - 60 - 100)
            clock.now = start + INTERVAL_S - 60
            assert _jwks(http) == ([first], 1)  # never below one second

            # Past interval - 60 s the next key is made and published, but does not sign yet.
            clock.now = start + INTERVAL_S - 59
            second = f"d-{int(clock.now * 1000)}"
            assert _jwks(http) == ([second, first], INTERVAL_S - 60)
            assert _signing_kid(http) == first
            clock.now = start + INTERVAL_S - 1
            assert _signing_kid(http) == first
            clock.now = start + INTERVAL_S
            assert _signing_kid(http) == second
            new_token = ok(create(http, "u"))["accessToken"]["token"]
            assert verify(http, new_token)["status"] == "OK"

            # The first key is listed until interval + 2 x validity after its creation.
            clock.now = start + LIFETIME_S
            assert _jwks(http)[0] == [second, first]
            clock.now = start + LIFETIME_S + 1
            assert _jwks(http)[0] == [second]
            assert verify(http, old_token) == {
                "status": "TRY_REFRESH_TOKEN",
                "message": "Key not found",
            }


def test_intervals_shorter_than_a_minute_still_rotate_sensibly() -> None:
    hours = "0.0004"  # as the SDK's own tests configure it
    clock = FakeClock()
    with LocalCore(clock=clock) as core, client(core) as admin:
        create_app(admin, "fast", access_token_dynamic_signing_key_update_interval=hours)
        with client(core, app="fast") as http:
            kids, _ = _jwks(http)
            assert _jwks(http)[0] == kids  # no new key per request
            clock.advance(float(hours) * 3600)
            assert len(_jwks(http)[0]) == 2


def _keys(http: httpx.Client) -> list[dict[str, str]]:
    return list(http.get("/.well-known/jwks.json").json()["keys"])


def test_the_jwks_has_a_dynamic_and_a_static_key_from_the_start(core: LocalCore) -> None:
    """As the real core's: ``d-`` then ``s-``, the static one made once per app and kept."""
    app = f"jwks-{uuid.uuid4()}"
    with client(core) as admin:
        create_app(admin, app)
    with client(core, app=app) as http:
        keys = _keys(http)
        assert [key["kid"][:2] for key in keys] == ["d-", "s-"]
        for key in keys:
            assert key == {
                "kty": "RSA",
                "kid": key["kid"],
                "n": key["n"],
                "e": "AQAB",
                "alg": "RS256",
                "use": "sig",
            }
        static = keys[1]["kid"]
        assert str(uuid.UUID(static[2:])) == static[2:]
        # A session that does not use the dynamic key is signed with the published static one.
        created = ok(create(http, "u", dynamic=False))
        assert jwt_parts(created["accessToken"]["token"])[0]["kid"] == static
        assert verify(http, created["accessToken"]["token"])["status"] == "OK"
        assert _keys(http) == keys
    with client(core) as public:
        assert _keys(public)[-1]["kid"] not in (static, keys[0]["kid"])  # every app has its own
