"""A file database survives a restart; apps are isolated and take their own config."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from authclient.localcore import LocalCore
from tests.localcore._helpers import FakeClock, client, create, create_app, ok, refresh, verify


def test_keys_sessions_and_metadata_survive_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "core.db")
    with LocalCore(db) as core, client(core) as http:
        created = ok(create(http, "alice", payload={"p": 1}, data={"d": 1}))
        ok(
            http.put(
                "/recipe/user/metadata", json={"userId": "alice", "metadataUpdate": {"m": "ä"}}
            )
        )
        kids = [key["kid"] for key in http.get("/.well-known/jwks.json").json()["keys"]]
        assert [kid[:2] for kid in kids] == ["d-", "s-"]

    with LocalCore(db) as core, client(core) as http:
        assert [key["kid"] for key in http.get("/.well-known/jwks.json").json()["keys"]] == kids
        handle = created["session"]["handle"]
        info = ok(http.get("/recipe/session", params={"sessionHandle": handle}))
        assert (info["userDataInJWT"], info["userDataInDatabase"]) == ({"p": 1}, {"d": 1})
        assert verify(http, created["accessToken"]["token"], check_database=True)["status"] == "OK"
        # The refresh-token secret persisted too.
        assert ok(refresh(http, created["refreshToken"]["token"]))
        metadata = ok(http.get("/recipe/user/metadata", params={"userId": "alice"}))["metadata"]
        assert metadata == {"m": "ä"}


def test_apps_are_isolated(core: LocalCore, http: httpx.Client) -> None:
    first, second = f"app-{uuid.uuid4()}", f"app-{uuid.uuid4()}"
    assert create_app(http, first) == {"status": "OK", "createdNew": True}
    assert create_app(http, first)["createdNew"] is False
    create_app(http, second)
    with client(core, app=first) as one, client(core, app=second) as two:
        ok(one.put("/recipe/user/metadata", json={"userId": "u", "metadataUpdate": {"app": 1}}))
        assert ok(two.get("/recipe/user/metadata", params={"userId": "u"}))["metadata"] == {}
        created = ok(create(one, "u"))
        handle = created["session"]["handle"]
        assert ok(one.get("/recipe/session/user", params={"userId": "u"}))["sessionHandles"] == [
            handle
        ]
        assert ok(two.get("/recipe/session/user", params={"userId": "u"}))["sessionHandles"] == []
        missing = two.get("/recipe/session", params={"sessionHandle": handle}).json()
        assert missing["status"] == "UNAUTHORISED"
        # Another app's keys do not verify this app's tokens.
        assert verify(two, created["accessToken"]["token"])["status"] == "TRY_REFRESH_TOKEN"
        assert refresh(two, created["refreshToken"]["token"])["status"] == "UNAUTHORISED"


def test_app_config_takes_effect() -> None:
    clock = FakeClock()
    with LocalCore(clock=clock) as core, client(core) as admin:
        create_app(admin, "quick", access_token_validity="1", refresh_token_validity=2)
        with client(core, app="quick") as http:
            created = ok(create(http, "u"))
            assert created["accessToken"]["expiry"] - created["accessToken"]["createdTime"] == 1000
            assert (
                created["refreshToken"]["expiry"] - created["refreshToken"]["createdTime"]
                == 120_000
            )
            clock.advance(2)
            assert (
                verify(http, created["accessToken"]["token"])["message"] == "Access token expired"
            )
        with client(core) as public:
            default = ok(create(public, "u"))["accessToken"]
            assert default["expiry"] - default["createdTime"] == 3600 * 1000


def test_app_creation_validates_its_input(http: httpx.Client) -> None:
    bad_config = {"appId": "bad-config", "coreConfig": {"access_token_validity": "soon"}}
    response = http.put("/recipe/multitenancy/app/v2", json=bad_config)
    assert response.status_code == 400
    assert http.put("/recipe/multitenancy/app/v2", json={"appId": "no spaces"}).status_code == 400
    # Only the public app creates apps.
    create_app(http, "parent")
    assert (
        http.put("/appid-parent/recipe/multitenancy/app/v2", json={"appId": "child"}).status_code
        == 403
    )
