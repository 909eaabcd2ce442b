"""The API key, as the real core checks it (CDI.md §1.1; CORE ``WebserverAPI.java``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any, Optional

import httpx
import pytest

from authclient.localcore import LocalCore, LocalCoreApp, LocalRequest
from authclient.localcore.config import AppConfig
from tests.localcore._helpers import client, create_app, ok

KEY = "secret-key-number-one"
OTHER_KEY = "secret-key-number-two"
APP_KEY = "an-apps-own-key-of-20-chars"


@pytest.fixture(scope="module")
def keyed() -> Iterator[LocalCore]:
    """A core with two keys, configured as the real core's ``api_keys`` (commas, spaces)."""
    with LocalCore(api_key=f" {KEY} ,\t{OTHER_KEY}") as core:
        yield core


@pytest.mark.parametrize(
    "headers",
    [
        {"api-key": KEY},
        {"api-key": OTHER_KEY},
        {"api-key": f"  {KEY} "},
        {"Authorization": f"Bearer {KEY}"},
        {"Authorization": f"bearer {OTHER_KEY}"},
        {"Authorization": f"BEARER   {KEY}  "},
        {"Authorization": KEY},
    ],
)
def test_every_key_is_accepted_in_every_form(keyed: LocalCore, headers: dict[str, str]) -> None:
    """Either key works, in ``api-key`` or ``Authorization: [Bearer ]<key>``, trimmed."""
    with client(keyed, cdi=None) as http:
        assert http.get("/apiversion", headers=headers).status_code == 200
        assert ok(http.get("/recipe/user/metadata", params={"userId": "u"}, headers=headers))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"api-key": "wrong"},
        {"api-key": ""},
        {"api-key": f"{KEY},{OTHER_KEY}"},
        {"api-key": KEY + "x"},
        {"api-key": KEY[:-1]},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer"},
        {"Authorization": ""},
        {"Authorization": f"Basic {KEY}"},
        # As in the real core, a present api-key header wins over Authorization.
        {"api-key": "wrong", "Authorization": f"Bearer {KEY}"},
    ],
)
def test_missing_or_wrong_api_key_is_401(keyed: LocalCore, headers: dict[str, str]) -> None:
    """Anything but one whole key is answered 401 ``Invalid API key`` in plain text."""
    with client(keyed) as http:
        for response in (
            http.get("/apiversion", headers=headers),
            http.get("/recipe/user/metadata", params={"userId": "u"}, headers=headers),
        ):
            assert (response.status_code, response.text) == (401, "Invalid API key")
            assert response.headers["content-type"].startswith("text/plain")


ROUTES: list[tuple[str, str, Optional[dict[str, Any]]]] = [
    ("GET", "/apiversion", None),
    ("GET", "/user/id?userId=u", None),
    ("GET", "/recipe/user/metadata?userId=u", None),
    ("PUT", "/recipe/user/metadata", {"userId": "u", "metadataUpdate": {"a": 1}}),
    ("POST", "/recipe/user/metadata/remove", {"userId": "u"}),
    ("POST", "/public/recipe/session", {"userId": "u"}),
    ("GET", "/recipe/session?sessionHandle=h", None),
    ("POST", "/recipe/session/verify", {}),
    ("POST", "/recipe/session/refresh", {}),
    ("POST", "/recipe/session/regenerate", {}),
    ("PUT", "/recipe/session/data", {}),
    ("PUT", "/recipe/jwt/data", {}),
    ("GET", "/recipe/session/user?userId=u", None),
    ("POST", "/recipe/session/remove", {"userId": "u"}),
    ("PUT", "/recipe/multitenancy/app/v2", {"appId": "intruder"}),
    ("PUT", "/recipe/multitenancy/tenant/v2", {"tenantId": "intruder"}),
    ("PUT", "/recipe/multitenancy/app/v2", {"appId": "public", "coreConfig": {}}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_route_but_the_jwks_needs_the_key(
    keyed: LocalCore, method: str, path: str, body: object
) -> None:
    """Apps, tenants and the public app's config too: without the key, 401 and no change."""
    with client(keyed) as http:
        response = http.request(method, path, json=body)
        assert (response.status_code, response.text) == (401, "Invalid API key")
        headers = {"api-key": KEY}
        for probe in ("/appid-intruder/apiversion", "/intruder/recipe/session/user?userId=u"):
            listed = http.get(probe, params={"fetchAcrossAllTenants": "false"}, headers=headers)
            assert listed.status_code == 400  # neither app nor tenant was made


def test_jwks_needs_no_api_key_nor_cdi_version(keyed: LocalCore) -> None:
    """The JWKS is public (the SDK fetches it without headers)."""
    with client(keyed, cdi=None) as http:
        assert http.get("/.well-known/jwks.json").status_code == 200


@pytest.mark.parametrize(
    "value", ["ä".encode(), "ä".encode("latin-1"), b"\xff\xfe", KEY.encode() + b"\xe4"]
)
def test_a_non_ascii_api_key_is_just_wrong(keyed: LocalCore, value: bytes) -> None:
    """Non-ASCII header bytes are answered 401, never 500, in-process and over ASGI."""
    with client(keyed) as http:
        response = http.get("/apiversion", headers={b"api-key": value})
        assert (response.status_code, response.text) == (401, "Invalid API key")
    direct = keyed.handle(LocalRequest("GET", "/apiversion", headers={"api-key": "ä\udcff"}))
    assert (direct.status, direct.text) == (401, "Invalid API key")

    async def over_asgi() -> httpx.Response:
        transport = httpx.ASGITransport(app=LocalCoreApp(keyed))
        async with httpx.AsyncClient(transport=transport, base_url="http://core") as http:
            return await http.get("/apiversion", headers={b"api-key": value})

    response = asyncio.run(over_asgi())
    assert (response.status_code, response.text) == (401, "Invalid API key")


@pytest.mark.parametrize("api_key", ["", "a,,b", "with space!", "ключ-key-of-many-chars"])
def test_unusable_keys_are_refused_at_construction(api_key: str) -> None:
    """An empty key, or one with characters the real core forbids, is a ValueError."""
    with pytest.raises(ValueError, match="API key") as raised:
        LocalCore(api_key=api_key)
    assert "ключ" not in str(raised.value)


def test_the_key_is_not_in_reprs(keyed: LocalCore) -> None:
    """Neither the core's repr nor an app config's shows a key."""
    assert KEY not in repr(keyed)
    assert APP_KEY not in repr(AppConfig.from_core_config({"api_keys": APP_KEY}))


def test_an_app_with_its_own_api_keys_takes_only_those() -> None:
    """coreConfig ``api_keys`` replaces the core's keys for that app, as in the real core."""
    with LocalCore(api_key=KEY) as core, client(core, api_key=KEY) as admin:
        create_app(admin, "own-keys", api_keys=APP_KEY)
        create_app(admin, "core-keys")
        with client(core, app="own-keys") as http:
            assert http.get("/apiversion", headers={"api-key": APP_KEY}).status_code == 200
            assert http.get("/apiversion", headers={"api-key": KEY}).status_code == 401
        with client(core, app="core-keys") as http:
            assert http.get("/apiversion", headers={"api-key": KEY}).status_code == 200
            assert http.get("/apiversion", headers={"api-key": APP_KEY}).status_code == 401
        assert admin.get("/apiversion", headers={"api-key": APP_KEY}).status_code == 401
        # Changing the app's config now takes the app's key.
        with client(core, app="own-keys", api_key=KEY) as http:
            assert (
                http.put("/recipe/multitenancy/app/v2", json={"appId": "own-keys"}).status_code
                == 401
            )


@pytest.mark.parametrize(
    ("api_keys", "message"),
    [
        ("short-key", "One of the API keys is too short. Please use at least 20 characters"),
        (
            APP_KEY + ",key-with-a-dollar-$-sign",
            "Invalid characters in API key. Please only use '=', '-' and alpha-numeric"
            " (including capitals)",
        ),
        (["a-list-of-keys-is-not-a-string"], "'api_keys' must be a string of comma-separated keys"),
    ],
)
def test_app_api_keys_are_validated(http: httpx.Client, api_keys: object, message: str) -> None:
    """Bad ``api_keys`` in a coreConfig are a 400 that does not repeat the keys."""
    body = {"appId": "bad-keys", "coreConfig": {"api_keys": api_keys}}
    response = http.put("/recipe/multitenancy/app/v2", content=json.dumps(body))
    assert (response.status_code, response.text) == (400, f"Invalid core config: {message}")
