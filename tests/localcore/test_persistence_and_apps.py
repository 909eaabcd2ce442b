"""A file database survives a restart; apps are isolated and take their own config."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

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


@pytest.mark.parametrize(
    ("app_id", "message"),
    [
        ("", "appId should not be an empty String"),
        ("appid-x", "appId must not start with 'appid-'"),
        ("no spaces", "appId can only contain letters, numbers and hyphens"),
        (7, "Field name 'appId' is invalid in JSON input"),
    ],
)
def test_bad_app_ids_get_the_real_cores_message(
    http: httpx.Client, app_id: object, message: str
) -> None:
    response = http.put("/recipe/multitenancy/app/v2", json={"appId": app_id})
    assert (response.status_code, response.text) == (400, message)


def test_app_ids_are_trimmed_and_lower_cased(core: LocalCore, http: httpx.Client) -> None:
    app = f"Mixed-{uuid.uuid4().hex[:8]}"
    assert create_app(http, f" {app} ")["createdNew"] is True
    assert create_app(http, app.lower())["createdNew"] is False
    with client(core, app=app.lower()) as in_app:
        assert ok(in_app.get("/recipe/user/metadata", params={"userId": "u"}))


def test_app_creation_validates_its_config(http: httpx.Client) -> None:
    bad_config = {"appId": "bad-config", "coreConfig": {"access_token_validity": "soon"}}
    response = http.put("/recipe/multitenancy/app/v2", json=bad_config)
    assert response.status_code == 400
    assert response.text.startswith("Invalid core config: ")


def test_an_app_may_update_itself_but_not_make_others(http: httpx.Client) -> None:
    create_app(http, "parent")
    own = http.put(
        "/appid-parent/recipe/multitenancy/app/v2",
        json={"appId": "parent", "coreConfig": {"access_token_validity": 60}},
    )
    assert ok(own)["createdNew"] is False
    child = http.put("/appid-parent/recipe/multitenancy/app/v2", json={"appId": "child"})
    assert (child.status_code, child.text) == (
        403,
        "You must use the public or same app to add/update an app",
    )
