# Generated from tests/asyncio/test_metadata.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""User metadata through a client and through the module-level functions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, cast

import pytest

import authclient.syncio
from authclient.syncio import Client, MetadataResult
from authclient.types import ClearUserMetadataResult
from tests.syncio.conftest import CORE_URL, AppClient, Calls, new_user_id


def test_unknown_user_has_empty_metadata(app_client: AppClient) -> None:
    with app_client() as (client, _):
        result = client.get_user_metadata(new_user_id("nobody"))
    assert result == MetadataResult(metadata={})


def test_get_sends_the_cdi_request(client: Client, calls: Calls) -> None:
    client.update_user_metadata("alice", {"theme": "dark"})
    result = client.get_user_metadata("alice")
    assert result.metadata == {"theme": "dark"}
    negotiate, _, get = calls.infos
    assert (negotiate.method, negotiate.path) == ("GET", "/apiversion")
    assert "cdi-version" not in negotiate.headers
    assert "rid" not in negotiate.headers
    assert negotiate.headers["api-key"] == "test-api-key-123"
    assert (get.method, get.path, get.query) == (
        "GET",
        "/recipe/user/metadata",
        {"userId": "alice"},
    )
    assert get.headers["cdi-version"] == "5.4"
    assert get.headers["rid"] == "usermetadata"
    assert get.headers["api-key"] == "test-api-key-123"
    assert "content-type" not in get.headers


def test_update_sends_a_json_body(client: Client, calls: Calls) -> None:
    client.update_user_metadata("alice", {"a": {"b": [1, 2.5, None]}, "gone": None})
    update = calls.infos[-1]
    assert (update.method, update.path) == ("PUT", "/recipe/user/metadata")
    assert update.headers["content-type"] == "application/json; charset=utf-8"
    assert update.json() == {
        "userId": "alice",
        "metadataUpdate": {"a": {"b": [1, 2.5, None]}, "gone": None},
    }


def test_clear_posts_to_remove(client: Client, calls: Calls) -> None:
    client.update_user_metadata("alice", {"x": 1})
    assert client.clear_user_metadata("alice") == ClearUserMetadataResult()
    clear = calls.infos[-1]
    assert (clear.method, clear.path, clear.json()) == (
        "POST",
        "/recipe/user/metadata/remove",
        {"userId": "alice"},
    )
    assert (client.get_user_metadata("alice")).metadata == {}


def test_merge_is_shallow_and_null_deletes(app_client: AppClient) -> None:
    # The example from the core's own tests (CDI.md §2).
    user = new_user_id("u")
    with app_client() as (client, _):
        client.update_user_metadata(
            user, {"updated": {"a": "x", "b": "y", "c": "z"}, "cleared": "ädmin äÆ \ufdfd"}
        )
        merged = client.update_user_metadata(
            user, {"updated": {"a": None, "c": 123, "n": "v"}, "cleared": None, "new": "r"}
        )
        expected = {"updated": {"a": None, "c": 123, "n": "v"}, "new": "r"}
        assert merged.metadata == expected
        assert (client.get_user_metadata(user)).metadata == expected


def test_non_ascii_round_trips(app_client: AppClient) -> None:
    value = {"name": "ädmin äÆ \ufdfd", "emoji": "🔐"}
    user = new_user_id("ü")
    with app_client() as (client, _):
        client.update_user_metadata(user, value)
        assert (client.get_user_metadata(user)).metadata == value


def test_version_is_negotiated_once_per_client(client: Client, calls: Calls) -> None:
    for _ in range(3):
        client.get_user_metadata("alice")
    assert calls.count("GET /apiversion") == 1


def test_pinned_version_skips_negotiation(calls: Calls) -> None:
    with Client(CORE_URL, cdi_version="5.3") as client:
        client.get_user_metadata("alice")
    assert [(info.path, info.headers["cdi-version"]) for info in calls.infos] == [
        ("/recipe/user/metadata", "5.3")
    ]


def test_base_path_prefixes_every_call(calls: Calls) -> None:
    with Client(CORE_URL + "/appid-x/") as client:
        client.get_user_metadata("alice")
    assert calls == ["GET /appid-x/apiversion", "GET /appid-x/recipe/user/metadata"]


@pytest.mark.parametrize(
    ("user_id", "error"),
    [("", ValueError), (None, TypeError), (42, TypeError), (b"alice", TypeError)],
)
def test_bad_user_id_is_rejected_before_sending(
    client: Client, calls: Calls, user_id: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="user_id"):
        client.get_user_metadata(user_id)
    with pytest.raises(error, match="user_id"):
        client.clear_user_metadata(user_id)
    assert calls == []


@pytest.mark.parametrize(
    ("update", "error", "match"),
    [
        ([("a", 1)], TypeError, "must be a dict"),
        ({1: "a"}, TypeError, "keys must be str"),
        ({"a": {2: "b"}}, TypeError, r"\['a'\] has a key 2"),
        ({"a": {1, 2}}, TypeError, "set"),
        ({"a": b"x"}, TypeError, "bytes"),
        ({"a": float("nan")}, ValueError, "JSON cannot represent"),
        ({"a": [object()]}, TypeError, r"\['a'\]\[0\] is a object"),
    ],
)
def test_bad_metadata_update_is_rejected_before_sending(
    client: Client, calls: Calls, update: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        client.update_user_metadata("alice", update)
    assert calls == []


def test_circular_update_is_rejected(client: Client, calls: Calls) -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    with pytest.raises(ValueError, match="nested"):
        client.update_user_metadata("alice", loop)
    assert calls == []


def test_the_documented_example(client: Client) -> None:
    # API.md: the SuperTokens example with only the import path changed.
    from authclient.syncio import get_user_metadata

    authclient.syncio.init(CORE_URL)
    client.update_user_metadata("...", {"exampleKey": "exampleValue"})

    def some_func() -> Any:
        user_id = "..."
        metadataResult = get_user_metadata(user_id)
        exampleValue = metadataResult.metadata["exampleKey"]
        return exampleValue

    assert some_func() == "exampleValue"


def test_module_functions_use_init_settings(calls: Calls) -> None:
    authclient.syncio.init(CORE_URL, api_key="from-init-key", cdi_version="5.4")
    authclient.syncio.update_user_metadata("bob", {"k": "v"})
    assert (authclient.syncio.get_user_metadata("bob")).metadata == {"k": "v"}
    authclient.syncio.clear_user_metadata("bob")
    assert (authclient.syncio.get_user_metadata("bob")).metadata == {}
    assert {info.headers["api-key"] for info in calls.infos} == {"from-init-key"}


def test_module_functions_read_the_environment(
    calls: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTHCLIENT_CONNECTION_URI", CORE_URL + "/appid-x")
    monkeypatch.setenv("AUTHCLIENT_API_KEY", "env-key")
    authclient.syncio.get_user_metadata("carol")
    assert [(info.path, info.headers["api-key"]) for info in calls.infos][-1] == (
        "/appid-x/recipe/user/metadata",
        "env-key",
    )


def test_reset_forgets_init(calls: Calls, monkeypatch: pytest.MonkeyPatch) -> None:
    """After reset(), the next module-level call uses a new client made from the environment."""
    monkeypatch.setenv("AUTHCLIENT_CONNECTION_URI", CORE_URL + "/appid-x")
    monkeypatch.delenv("AUTHCLIENT_API_KEY", raising=False)
    authclient.syncio.init(CORE_URL, api_key="from-init-key", cdi_version="5.4")
    authclient.syncio.get_user_metadata("dan")
    authclient.syncio.reset()
    authclient.syncio.get_user_metadata("dan")
    assert calls == [
        "GET /recipe/user/metadata",
        "GET /appid-x/apiversion",
        "GET /appid-x/recipe/user/metadata",
    ]
    assert [info.headers.get("api-key") for info in calls.infos] == ["from-init-key", None, None]


def json_types(value: object) -> set[type[object]]:
    """The exact type of ``value`` and of everything inside it."""
    kinds: set[type[object]] = {type(value)}
    inside: Iterable[object] = ()
    if isinstance(value, Mapping):
        inside = cast("Mapping[object, object]", value).values()
    elif isinstance(value, (list, tuple)):
        inside = cast("Iterable[object]", value)
    for item in inside:
        kinds |= json_types(item)
    return kinds


def test_metadata_result_is_json_friendly(app_client: AppClient) -> None:
    """Metadata read back holds plain JSON types only, and serialises to what was stored."""
    stored = {
        "object": {"nested": {"deep": "ü"}, "empty": {}},
        "list": [1, -2.5, 0.125, True, False, None, "s", [], [{"k": "v"}]],
        "int": 2_147_483_647,
        "float": -1e-3,
        "bool": True,
    }
    user = new_user_id("alice")
    with app_client() as (client, _):
        client.update_user_metadata(user, stored)
        result = client.get_user_metadata(user)
    assert json_types(result.metadata) == {dict, list, str, int, float, bool, type(None)}
    assert json.dumps(result.metadata, sort_keys=True) == json.dumps(stored, sort_keys=True)
